// `npm test`: every suite in order, failing fast, then one closing count line.
// Unit and integration tests (vitest), the database suite on PGlite and on the PostgreSQL
// server, the static checks, the production build and the Playwright specs in Chromium.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const started = Date.now();
let passed = 0;
let failed = 0;

function run(title, cmd, args, env = {}) {
	const t0 = Date.now();
	console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	console.log(`=== ${title}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	return r.status === 0;
}

/**
 * The same, without waiting: the output goes straight to a file (no pipe for this process to
 * drain) and is printed when the command ends, so two stages can share the machine (eslint's
 * type-checked rules run minutes on one core while the other would sit idle).
 */
function runAside(title, cmd, args, env = {}) {
	const t0 = Date.now();
	const out = `test-results/reports/${title.replace(/[^a-z0-9]+/gi, '-')}.log`;
	console.log(`\n=== ${title} (alongside, output at the end): ${cmd} ${args.join(' ')}`);
	const fd = openSync(out, 'w');
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
		child.once('error', (error) => {
			console.error(`${title}: could not start: ${error.message}`);
			resolve(false);
		});
		child.once('close', (code) => {
			closeSync(fd);
			console.log(`\n=== ${title} (output):\n${readFileSync(out, 'utf8')}`);
			console.log(`=== ${title}: ${code === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
			resolve(code === 0);
		});
	});
}

function countVitest(file) {
	const report = JSON.parse(readFileSync(file, 'utf8'));
	passed += report.numPassedTests;
	failed += report.numFailedTests;
}

function countPlaywright(file) {
	const report = JSON.parse(readFileSync(file, 'utf8'));
	passed += report.stats.expected;
	failed += report.stats.unexpected + report.stats.flaky;
}

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
	// The static checks (eslint's type-checked rules alone take minutes on one core) alongside
	// the unit tests and the database suite on PGlite.
	async () => {
		const check = runAside('check', 'npm', ['run', '--silent', 'check']);
		const ok = run('vitest (unit + db on PGlite)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/reports/vitest.json']);
		const checkOk = await check;
		try {
			countVitest('test-results/reports/vitest.json');
		} catch {
			console.error('no report at test-results/reports/vitest.json');
			failed += 1;
		}
		return checkOk && ok;
	},
	async () => {
		if (!(await reachable(PG_URL))) {
			console.error(`PostgreSQL is not reachable at ${PG_URL}. Start it (scripts/setup.sh installs and starts one) or set TEST_DATABASE_URL.`);
			failed += 1;
			return false;
		}
		const ok = run('vitest db (PostgreSQL)', 'npx', ['vitest', 'run', '--project', 'db', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/reports/vitest-pg.json'], { DATABASE_URL: PG_URL });
		countVitest('test-results/reports/vitest-pg.json');
		return ok;
	},
	() => run('build', 'npm', ['run', '--silent', 'build']),
	() => {
		const ok = run('e2e (Playwright, Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/reports/playwright.json' });
		countPlaywright('test-results/reports/playwright.json');
		return ok;
	}
];

for (const step of steps) {
	if (!(await step())) finish(false);
}
finish(true);
