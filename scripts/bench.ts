/**
 * `npm run bench`: latency figures printed as one table, each beside a baseline measured in the
 * same run on the same machine, so a figure reads as "x times the floor" rather than as an
 * absolute that depends on the box. Nothing here asserts a timing.
 *
 *   live propagation   mutation committed -> changed result received by 50 subscribed clients
 *                      (each a different agent), through the worker engine and the live hub;
 *                      baseline: the mutation's own round trip to the engine. Measured twice:
 *                      in-process through the hub, and over HTTP against the production build
 *                      (50 SSE streams, mutations through POST /api/live/mutation).
 *   phone lookup       the app's lookupCustomerByPhone (normalization + indexed query) at
 *                      100,000 customers, on PGlite and on PostgreSQL; baseline: the bare
 *                      indexed SELECT on the same driver.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { benchLivePropagation, benchLivePropagationHttp, percentile } from '../src/lib/server/live/bench';
import { benchPhoneLookup } from '../src/lib/server/crm/bench';
import { openDatabase, type Db } from '../src/lib/server/db/client';
import { setLogLevel } from '../src/lib/server/log';

setLogLevel('warn');

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);

interface Row {
	bench: string;
	n: number;
	p50: number;
	p99: number;
	baseline: string;
	b50: number;
	b99: number;
}
const rows: Row[] = [];

function add(bench: string, values: number[], baseline: string, base: number[]) {
	rows.push({
		bench,
		n: values.length,
		p50: percentile(values, 50),
		p99: percentile(values, 99),
		baseline,
		b50: percentile(base, 50),
		b99: percentile(base, 99)
	});
	console.log(`  done: ${bench}`);
}

async function bareLookup(db: Db, count: number): Promise<number[]> {
	const sample: unknown = await db.execute(sql`select e164 from customer_phones order by random() limit ${count}`);
	const list = (Array.isArray(sample) ? sample : (sample as { rows: unknown[] }).rows) as { e164: string }[];
	const out: number[] = [];
	for (const { e164 } of list) {
		const t0 = performance.now();
		await db.execute(sql`select c.id from customer_phones p join customers c on c.id = p.customer_id where p.e164 = ${e164} limit 5`);
		out.push(performance.now() - t0);
	}
	return out;
}

async function lookupOn(label: string, db: Db) {
	const t0 = performance.now();
	const app = await benchPhoneLookup(db, { customers: CUSTOMERS, lookups: 2000 });
	console.log(`  ${label}: ${CUSTOMERS.toLocaleString('en-US')} customers ready and looked up in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	const base = await bareLookup(db, 2000);
	add(`phone lookup, ${label}, ${CUSTOMERS / 1000}k customers`, app, 'bare indexed SELECT', base);
}

console.log('bench: live propagation (50 clients)');
const live = await benchLivePropagation({ clients: 50, rounds: 40 });
add('live propagation, 50 clients', live.latenciesMs, 'mutation round trip', live.mutationMs);

async function liveOverHttp() {
	if (!existsSync('build/index.js')) {
		console.log('  no production build yet: npm run build');
		const built = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'ignore' });
		if (built.status !== 0) throw new Error('npm run build failed; run it to see why');
	}
	const port = Number(process.env.BENCH_PORT ?? 4390);
	const base = `http://localhost:${port}`;
	const server = spawn('node', ['build/index.js'], {
		env: { ...process.env, PORT: String(port), PUBLIC_BASE_URL: base, ORIGIN: base, PGLITE_DIR: 'memory://', DATA_DIR: 'bench-results/data', LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	try {
		for (let i = 0; ; i++) {
			if (i > 240) throw new Error('the production server did not start in 120 s');
			const up = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
			if (up) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		const signIn = await fetch(`${base}/api/auth/sign-in/email`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: base },
			body: JSON.stringify({ email: 'alice@switchboard.local', password: 'switchboard-demo' })
		});
		if (!signIn.ok) throw new Error(`demo sign-in answered ${signIn.status}`);
		const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
		const http = await benchLivePropagationHttp({ baseUrl: base, cookie, clients: 50, rounds: 30 });
		add('live propagation over HTTP/SSE, 50 streams', http.latenciesMs, 'mutation POST round trip', http.mutationMs);
	} finally {
		server.kill('SIGTERM');
	}
}

await liveOverHttp();

console.log('bench: phone lookup on PGlite');
const lite = await openDatabase({ driver: 'pglite', dir: 'memory://' });
await lookupOn('PGlite', lite.db);
await lite.close();

console.log('bench: phone lookup on PostgreSQL');
const name = `bench_${randomBytes(4).toString('hex')}`;
const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
try {
	await admin.unsafe(`create database ${name}`);
	const url = new URL(PG_URL);
	url.pathname = `/${name}`;
	const pg = await openDatabase({ driver: 'postgres', url: url.toString() });
	await lookupOn('PostgreSQL', pg.db);
	await pg.close();
} catch (error) {
	console.error(`  PostgreSQL at ${PG_URL} unavailable: ${(error as Error).message}`);
} finally {
	await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
	await admin.end();
}

const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 1);
console.log('\n| bench | n | p50 ms | p99 ms | baseline | base p50 ms | base p99 ms | p50 ratio |');
console.log('|---|---:|---:|---:|---|---:|---:|---:|');
for (const r of rows) {
	console.log(`| ${r.bench} | ${r.n} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.baseline} | ${fmt(r.b50)} | ${fmt(r.b99)} | ${(r.p50 / r.b50).toFixed(2)}x |`);
}
process.exit(0);
