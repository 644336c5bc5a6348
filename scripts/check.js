// `npm run check`: the static checks. `svelte-kit sync` first (the generated types the others
// read; npm test syncs before starting this and skips it here), then side by side: eslint
// (type-checked rules, the slowest by far) as two processes, one for the .svelte components and
// one for every other file, and svelte-check, the Convex functions' tsc and the
// dependency-cruiser boundaries, one after the other. Exits non-zero when
// any fails, after all have finished, so one run reports every kind of problem.
//
// Why two eslint processes: the 99 components took 195 s of CPU (about 2 s each; their scripts
// reach the TypeScript program as new text one by one) against 155 s for the other 819 files, all
// in one process on one core; apart, they cover the same files on both cores.
import { spawn } from 'node:child_process';

/** The commands running now, ended with this process on SIGTERM (npm test stops it early). */
const running = new Set();
process.once('SIGTERM', () => {
	for (const child of running) child.kill('SIGTERM');
	process.exit(143);
});

/** Run one command, output passed through; resolves to whether it succeeded. */
function run(cmd, args) {
	const t0 = Date.now();
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { stdio: 'inherit' });
		running.add(child);
		child.once('error', (error) => {
			console.error(`check: ${cmd} could not start: ${error.message}`);
			resolve(false);
		});
		child.once('exit', (code) => {
			running.delete(child);
			const seconds = ((Date.now() - t0) / 1000).toFixed(1);
			console.log(`check: ${[cmd, ...args].join(' ')}: ${code === 0 ? 'ok' : 'FAILED'} in ${seconds} s`);
			resolve(code === 0);
		});
	});
}

/** Commands in order, stopping at the first failure. */
async function inOrder(commands) {
	for (const [cmd, ...args] of commands) if (!(await run(cmd, args))) return false;
	return true;
}

const bin = (name) => `node_modules/.bin/${name}`;

// npm test has synced already, before starting the stages that run beside this (test-all.js).
if (process.env.SWITCHBOARD_KIT_SYNCED !== '1' && !(await run(bin('svelte-kit'), ['sync']))) process.exit(1);
const results = await Promise.all([
	run(bin('eslint'), ['.', '--ignore-pattern', '**/*.svelte']),
	run(bin('eslint'), ['**/*.svelte']),
	inOrder([
		[bin('svelte-check'), '--tsconfig', './tsconfig.json', '--fail-on-warnings'],
		[bin('tsc'), '--noEmit', '-p', 'convex/tsconfig.json'],
		[bin('depcruise'), 'src', 'convex', '--config', '.dependency-cruiser.cjs']
	])
]);
process.exit(results.every(Boolean) ? 0 : 1);
