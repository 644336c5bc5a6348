// `npm test`: every suite in order, failing fast, then one closing count line.
// Unit and integration tests (vitest), the database suite on PGlite and on the PostgreSQL
// server, the production build and the Playwright specs in Chromium, one after the other; the
// static checks run beside all of them at the lowest CPU priority and are awaited at the end.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The vitest and build stages' SvelteKit output, apart from the .svelte-kit the checks read (see below). */
const STAGE_ENV = { SWITCHBOARD_KIT_OUT_DIR: '.svelte-kit/stages' };
const started = Date.now();
let passed = 0;
let failed = 0;

/** Run one stage, output passed through; resolves to whether it succeeded. */
function run(title, cmd, args, env = {}) {
	const t0 = Date.now();
	console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
		child.once('error', (error) => console.error(`${title}: could not start: ${error.message}`));
		child.once('close', (code) => {
			console.log(`=== ${title}: ${code === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
			resolve(code === 0);
		});
	});
}

/**
 * Start a command without waiting for it, at the lowest CPU priority (nice 19): it runs on
 * whatever CPU the stages in front leave idle (most of a core while the Playwright specs wait on
 * the browser and the carrier's timers) and gives way whenever they want it. Its output goes
 * straight to a file (no pipe for this process to drain) and is printed when it ends. `done`
 * resolves to whether it succeeded; `stop()` ends it early (a stage in front failed).
 */
function startAside(title, cmd, args, env = process.env) {
	const t0 = Date.now();
	const out = `test-results/reports/${title.replace(/[^a-z0-9]+/gi, '-')}.log`;
	console.log(`\n=== ${title} (beside the other stages at low priority, output at the end): ${cmd} ${args.join(' ')}`);
	const fd = openSync(out, 'w');
	// Same session and process group as this one (not detached): nice only ranks processes within
	// a session's scheduling group, and Ctrl-C reaches it too.
	const child = spawn('nice', ['-n', '19', cmd, ...args], { stdio: ['ignore', fd, fd], env });
	let endedAt = 0;
	let stopped = false;
	const done = new Promise((resolve) => {
		child.once('error', (error) => console.error(`${title}: could not start: ${error.message}`));
		child.once('close', (code) => {
			endedAt = Date.now();
			closeSync(fd);
			resolve(code === 0);
		});
	});
	return {
		done,
		stop() {
			stopped = child.exitCode === null && child.signalCode === null && child.kill('SIGTERM');
		},
		/** Wait for it, then print its output and how long it ran and was waited for. */
		async finish() {
			const waitFrom = Date.now();
			const ok = await done;
			const waited = Math.max(0, endedAt - waitFrom);
			console.log(`\n=== ${title} (output):\n${readFileSync(out, 'utf8')}`);
			const verdict = stopped ? 'stopped' : ok ? 'ok' : 'FAILED';
			console.log(`=== ${title}: ${verdict} in ${((endedAt - t0) / 1000).toFixed(1)} s (${(waited / 1000).toFixed(1)} s of it after the last stage)`);
			return ok;
		}
	};
}

/** Add a JSON report's counts; a missing or unreadable report counts as a failure. */
function count(file, read) {
	try {
		const [ok, bad] = read(JSON.parse(readFileSync(file, 'utf8')));
		passed += ok;
		failed += bad;
	} catch {
		console.error(`no report at ${file}`);
		failed += 1;
	}
}

const countVitest = (file) => count(file, (r) => [r.numPassedTests, r.numFailedTests]);
const countPlaywright = (file) => count(file, (r) => [r.stats.expected, r.stats.unexpected + r.stats.flaky]);

function finish(ok) {
	console.log(`\nnpm test finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(ok && failed === 0 ? 0 : 1);
}

async function reachable(url) {
	const u = new URL(url);
	return new Promise((resolve) => {
		const s = net.connect({ host: u.hostname, port: Number(u.port || 5432) });
		s.once('connect', () => (s.end(), resolve(true)));
		s.once('error', () => resolve(false));
		s.setTimeout(2000, () => (s.destroy(), resolve(false)));
	});
}

rmSync('test-results/reports', { recursive: true, force: true });
mkdirSync('test-results/reports', { recursive: true });

const steps = [
	() => run('engine', 'npm', ['run', '--silent', 'build:engine']),
	async () => {
		const ok = await run('vitest (unit + db on PGlite)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/reports/vitest.json'], STAGE_ENV);
		countVitest('test-results/reports/vitest.json');
		return ok;
	},
	async () => {
		if (!(await reachable(PG_URL))) {
			console.error(`PostgreSQL is not reachable at ${PG_URL}. Start it (scripts/setup.sh installs and starts one) or set TEST_DATABASE_URL.`);
			failed += 1;
			return false;
		}
		const ok = await run('vitest db (PostgreSQL)', 'npx', ['vitest', 'run', '--project', 'db', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/reports/vitest-pg.json'], { ...STAGE_ENV, DATABASE_URL: PG_URL });
		countVitest('test-results/reports/vitest-pg.json');
		return ok;
	},
	() => run('build', 'npm', ['run', '--silent', 'build'], STAGE_ENV),
	async () => {
		const ok = await run('e2e (Playwright, Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/reports/playwright.json' });
		countPlaywright('test-results/reports/playwright.json');
		return ok;
	}
];

// The static checks (eslint's type-checked rules alone take minutes of one core) beside every
// stage: in front of the PGlite suite they cost it minutes; at nice 19 they take what is idle.
// node_modules/.bin first on the PATH, as `npm run check` has it (the project's node 22 for the tools).
//
// The checkers read the files `svelte-kit sync` writes into .svelte-kit (every route's
// `$types.d.ts`, the generated tsconfig), and every vite process syncs as it starts (the vitest
// stages, the build). A sync rewrites every `$types.d.ts` in place (truncate, then write), every
// time: SvelteKit 2.70 deletes its own route_meta_data.json while clearing stale types, so it
// never finds them current. A checker reading one in that moment sees an empty file: eslint once
// saw a route's RequestHandler as `any` and CI failed. So .svelte-kit is synced once, here,
// before anything starts, and only read after that (check.js skips its sync); the vitest and
// build stages generate their own copy in .svelte-kit/stages (svelte.config.js), which SvelteKit
// notes is not the one tsconfig.json extends: expected, and harmless to them (their transforms
// read only compilerOptions).
console.log('\n(the vitest and build stages write SvelteKit\'s generated files to .svelte-kit/stages; its notice that tsconfig.json should extend that copy is expected)');
if (!(await run('sync', process.execPath, [path.resolve('node_modules/@sveltejs/kit/svelte-kit.js'), 'sync']))) finish(false);
const check = startAside('check', process.execPath, ['scripts/check.js'], {
	...process.env,
	PATH: `${path.resolve('node_modules/.bin')}${path.delimiter}${process.env.PATH}`,
	SWITCHBOARD_KIT_SYNCED: '1'
});
for (const step of steps) {
	if (!(await step())) {
		check.stop();
		await check.finish();
		finish(false);
	}
}
finish(await check.finish());
