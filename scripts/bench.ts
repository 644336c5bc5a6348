/**
 * `npm run bench`: latency figures printed as one table, each beside a baseline measured in the
 * same run on the same machine, so a figure reads as "x times the floor" rather than as an
 * absolute that depends on the box. Nothing here asserts a timing.
 *
 *   live propagation   mutation committed -> changed result received by 50, then 200, subscribed
 *                      clients (each a different agent), through the worker engine and the live
 *                      hub; baseline: the mutation's own round trip to the engine. Measured
 *                      in-process through the hub, and over HTTP against the production build
 *                      (50 and 200 SSE streams, mutations through POST /api/live/mutation).
 *   phone lookup       the app's lookupCustomerByPhone (normalization + indexed query) at
 *                      100,000 customers, on PGlite and on PostgreSQL; baseline: the bare
 *                      indexed SELECT on the same driver.
 *   inbound SMS        a text from the customer phone (carrier -> signed POST /webhooks/twilio/sms)
 *                      until each of 50 inbox streams has re-read the thread and holds it;
 *                      baseline: the phone API's own round trip. The re-reads' share of that
 *                      time is printed, and the re-reads get a row of their own.
 *   screen pop         20 agents signed in, each in a Chromium page: the carrier sending the
 *                      incoming-call webhook -> the softphone showing the ring with the caller's
 *                      name; baseline: the carrier starting to ring the agent's Client (which
 *                      includes the consent notice the caller hears first).
 *   voice webhook      5,000 signed incoming-call webhooks, 50 concurrent, each a new call (after
 *                      200 of warm-up; a run long enough for a steady p99, not the 50 connections'
 *                      start); baseline: node:http checking the same signature
 *                      (twilio.validateRequest) and answering the same TwiML to the same requests
 *                      from the same client (node:http, kept-alive connections; every request
 *                      built and signed before the clock starts). On PGlite, then on PostgreSQL
 *                      twice: an archive with history (100,000 customers, 200,000 past calls)
 *                      and an empty one. Latency in the main table, throughput (req/s) and the
 *                      ratios in a second one.
 *   search             1,000,000 call transcripts (five-minute calls) kept in the bench_search
 *                      database: searchArchive with filters, ranking and highlighted lines, as a
 *                      manager and as an agent; baseline: the bare GIN-indexed `@@` LIMIT 20.
 *   local speech       the offline recogniser on a support call script spoken by espeak-ng at
 *                      8 kHz: word error rate and real-time factor, beside sox decoding and
 *                      resampling the same audio (scripts/bench/speech.ts).
 *   click-to-dial      in process, real clock: after the click (the gate's pre-check, then the
 *                      softphone's connect through the local carrier, the signed Client call to
 *                      the outbound route over HTTP, claimDial, the gate's transaction, <Dial>)
 *                      until the customer's phone rings; baseline: the carrier's own leg,
 *                      REST Calls.create over HTTP until the phone rings (scripts/bench/click-to-dial.ts).
 *   Next-call claim    a 100,000-lead campaign (BENCH_CAMPAIGN_LEADS), 50 agents pressing Next
 *                      call at once, 10 rounds: claimNextLead (the hot-state claim and the archive
 *                      refill of the window); baseline: 50 concurrent engine round trips.
 *   SMS inbox          10,000 threads and 1,000,000 archived messages, on PGlite and
 *                      PostgreSQL: the inbox's first page and opening a thread (hydration into
 *                      hot state + first page), beside the bare SELECTs; each plan is checked
 *                      for sequential scans.
 *
 *   reporting          a year of history at 1,000,000 calls on PostgreSQL (the call log seeded
 *                      with generate_series, aggregates rebuilt from it): the history report by
 *                      day with the previous year and the agent table, beside the same figures
 *                      aggregated from the raw log; and a call answered -> the tile changed on
 *                      50 wallboards following the one server-side computation, beside the
 *                      answered event's own commit.
 *
 * The webhook burst runs twice: on PGlite (the embedded default) and with DATABASE_URL on
 * PostgreSQL, as production runs it.
 *
 * Sizes can be lowered for a quick look: BENCH_CUSTOMERS, BENCH_SMS_THREADS,
 * BENCH_SMS_PER_THREAD, BENCH_SEARCH_TRANSCRIPTS, BENCH_WEBHOOK_REQUESTS, BENCH_WEBHOOK_CONCURRENCY, BENCH_ARCHIVE_CUSTOMERS, BENCH_ARCHIVE_CALLS, BENCH_CAMPAIGN_LEADS, BENCH_SCORECARDS, BENCH_REPORT_CALLS, BENCH_ROUNDS (a
 * factor on the live, SMS and screen-pop rounds, e.g. 0.25). BENCH_ONLY picks sections, comma
 * separated: live, http (live over SSE, inbound SMS, screen pop), webhook-pglite,
 * webhook-postgres (webhook: both), lookup, inbox, click-to-dial, next-call, transfer, quality, reporting, search, speech; e.g. `BENCH_ONLY=webhook npm run bench`.
 * BENCH_CPU_PROF=<dir> runs the production servers under node --cpu-prof (one profile per
 * thread, the engine worker's included; read them with scripts/cpuprofile-top.mjs).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { errorMessage } from '../src/lib/errors';
import { benchLivePropagation, benchLivePropagationHttp, percentile } from './bench/live';
import { benchClickToDial } from './bench/click-to-dial';
import { benchNextCall } from './bench/next-call';
import { benchTransferOffer } from './bench/transfer';
import { createTelephony } from '../src/lib/server/adapters/telephony';
import { parseConfig } from '../src/lib/server/env';
import { benchPhoneLookup } from './bench/phone-lookup';
import { seedArchiveHistory } from './bench/webhook-archive';
import { openDatabase, type Db } from '../src/lib/server/db/client';
import { selectRows } from '../src/lib/server/db/rows';
import { setLogLevel } from '../src/lib/server/log';
import { createLocalHotState } from '../src/lib/server/live/hot';
import { benchSearch, searchBenchUrl, seedTranscripts } from './bench/search';
import { benchHistory, benchWallboard, seedYear } from './bench/reporting';
import { benchInboxLoad, benchInboxPropagation, seedSmsArchive, usesIndexFor } from './bench/sms';
import { benchLocalSpeech } from './bench/speech';
import { AGREEMENT_SETS, benchLocalGrading, benchQualityQueries, gradingAgreement } from './bench/quality';
import {
	benchFixedTwiml,
	benchScreenPop,
	benchWebhookThroughput,
	createBenchAgents,
	sampleIncomingTwiml,
	signIn,
	startFixedTwimlServer,
	type LoadResult
} from './bench-voice';

setLogLevel('warn');

const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
const SMS_THREADS = Number(process.env.BENCH_SMS_THREADS ?? 10_000);
const SMS_PER_THREAD = Number(process.env.BENCH_SMS_PER_THREAD ?? 100);
/** Transcripts in the kept bench_search database (topped up when fewer; a million takes most of an hour to build). */
const SEARCH_TRANSCRIPTS = Number(process.env.BENCH_SEARCH_TRANSCRIPTS ?? 1_000_000);
const WEBHOOK_REQUESTS = Number(process.env.BENCH_WEBHOOK_REQUESTS ?? 5000);
const WEBHOOK_CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 50);
/** The archive the PostgreSQL burst runs against (bench/webhook-archive.ts). */
const ARCHIVE_CUSTOMERS = Number(process.env.BENCH_ARCHIVE_CUSTOMERS ?? 100_000);
const ARCHIVE_CALLS = Number(process.env.BENCH_ARCHIVE_CALLS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const rounds = (n: number) => Math.max(2, Math.round(n * ROUNDS));
const SECTIONS = ['live', 'http', 'webhook-pglite', 'webhook-postgres', 'lookup', 'inbox', 'click-to-dial', 'next-call', 'transfer', 'quality', 'reporting', 'search', 'speech'] as const;
const only = (process.env.BENCH_ONLY ?? '')
	.split(',')
	.map((s) => s.trim())
	.filter(Boolean)
	.flatMap((s) => (s === 'webhook' ? ['webhook-pglite', 'webhook-postgres'] : [s]));
for (const name of only) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY: unknown section ${name}; use ${SECTIONS.join(', ')} or webhook (both)`);
const runs = (section: (typeof SECTIONS)[number]) => only.length === 0 || only.includes(section);
const SCRIPTED_COUNT = 8;
const SCORECARDS = Number(process.env.BENCH_SCORECARDS ?? 100_000);
const SCREEN_POP_AGENTS = 20;
const REPORT_CALLS = Number(process.env.BENCH_REPORT_CALLS ?? 1_000_000);
/** The demo sales line (seed-voice-queues.ts): the bench agents get its skill. */
const SALES_NUMBER = '+14155550100';

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
const throughput: { bench: string; app: LoadResult; floor: LoadResult }[] = [];
const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 1);

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
	const list = await selectRows<{ e164: string }>(db, sql`select e164 from customer_phones order by random() limit ${count}`);
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

if (runs('live')) {
	for (const [clients, n] of [[50, 40], [200, 20]] as const) {
		console.log(`bench: live propagation (${clients} clients)`);
		const live = await benchLivePropagation({ clients, rounds: rounds(n) });
		add(`live propagation, ${clients} clients`, live.latenciesMs, 'mutation round trip', live.mutationMs);
	}
}

const APP_PASSWORD = 'switchboard-demo';

/** Everything measured against the production build: one server, the local carrier inside it. */
interface RunningApp {
	base: string;
	authToken: string;
	accountSid: string;
	stop(): void;
}

/** The production build on `port` with the local carrier inside, on PGlite in memory or on `databaseUrl`. */
async function startApp(port: number, databaseUrl?: string): Promise<RunningApp> {
	if (!existsSync('build/index.js')) {
		console.log('  no production build yet: npm run build');
		const built = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'ignore' });
		if (built.status !== 0) throw new Error('npm run build failed; run it to see why');
	}
	const base = `http://localhost:${port}`;
	const authToken = randomBytes(16).toString('hex');
	const accountSid = `AC${randomBytes(16).toString('hex')}`;
	const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
	const server = spawn('node', [...profile, 'build/index.js'], {
		env: {
			...process.env,
			PORT: String(port),
			PUBLIC_BASE_URL: base,
			ORIGIN: base,
			...(databaseUrl ? { DATABASE_URL: databaseUrl } : { PGLITE_DIR: 'memory://' }),
			DATA_DIR: `bench-results/data-${port}`,
			LOG_LEVEL: 'warn',
			TELEPHONY: 'local',
			TWILIO_ACCOUNT_SID: accountSid,
			TWILIO_AUTH_TOKEN: authToken
		},
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const stop = () => void server.kill('SIGTERM');
	try {
		for (let i = 0; ; i++) {
			if (i > 240) throw new Error('the production server did not start in 120 s');
			const up = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
			if (up) break;
			await new Promise((r) => setTimeout(r, 500));
		}
	} catch (error) {
		stop();
		throw error;
	}
	return { base, authToken, accountSid, stop };
}

/**
 * Signed incoming-call webhooks against `app`, 50 concurrent, beside node:http checking the same
 * signature and answering the same TwiML to the same requests (each after a warm-up of its own).
 */
async function webhookThroughput(app: RunningApp, label: string) {
	const load = { baseUrl: app.base, publicBaseUrl: app.base, authToken: app.authToken, accountSid: app.accountSid, to: SALES_NUMBER, requests: WEBHOOK_REQUESTS, concurrency: WEBHOOK_CONCURRENCY };
	const twiml = await sampleIncomingTwiml(load);
	const raw = await startFixedTwimlServer(twiml, app.authToken, app.base);
	try {
		await benchFixedTwiml({ ...load, requests: 200 }, raw.url); // warm-up
		await benchWebhookThroughput({ ...load, requests: 200 });
		const floor = await benchFixedTwiml(load, raw.url);
		const result = await benchWebhookThroughput(load);
		const refused = Object.entries(floor.statuses).filter(([status]) => status !== '200');
		if (refused.length > 0) throw new Error(`the node:http baseline refused requests: ${refused.map(([s, n]) => `${n} x ${s}`).join(', ')}`);
		const bad = Object.entries(result.statuses).filter(([status]) => status !== '200');
		if (bad.length > 0) console.log(`  non-200 answers: ${bad.map(([s, n]) => `${n} x ${s}`).join(', ')}`);
		add(`signed incoming-call webhook, ${WEBHOOK_CONCURRENCY} concurrent, ${label}`, result.latenciesMs, 'node:http checking the signature, fixed TwiML', floor.latenciesMs);
		throughput.push({ bench: `signed incoming-call webhook (POST /webhooks/twilio/voice), ${label}`, app: result, floor });
	} finally {
		raw.server.close();
	}
}

/** Live fan-out over SSE, inbound SMS to 50 inboxes and the screen pop, against the production build. */
async function liveSmsAndScreenPop(app: RunningApp) {
	const { base } = app;
	const alice = await signIn(base, 'alice@switchboard.local', APP_PASSWORD);
	for (const [clients, n] of [[50, 30], [200, 15]] as const) {
		console.log(`bench: live propagation over HTTP (${clients} SSE streams)`);
		const http = await benchLivePropagationHttp({ baseUrl: base, cookie: alice.cookie, clients, rounds: rounds(n) });
		add(`live propagation over HTTP/SSE, ${clients} streams`, http.latenciesMs, 'mutation POST round trip', http.mutationMs);
	}

	const admin = await signIn(base, 'admin@switchboard.local', APP_PASSWORD);
	const agents = await createBenchAgents(base, admin, SCREEN_POP_AGENTS, 'sales');

	console.log('bench: inbound SMS to 50 inboxes');
	const sms = await benchInboxPropagation({ baseUrl: base, cookies: agents.map((a) => a.cookie), clients: 50, rounds: rounds(20) });
	add('inbound SMS webhook -> shown in 50 inboxes', sms.latenciesMs, 'customer phone POST (carrier accepted)', sms.postMs);
	const total = sms.latenciesMs.reduce((a, b) => a + b, 0);
	const rereading = sms.rereadMs.reduce((a, b) => a + b, 0);
	console.log(`  the inboxes' re-reads (tRPC sms.inbox) took ${((100 * rereading) / total).toFixed(0)}% of the time to show the text`);
	add('  of which: the inbox re-reading the thread (tRPC sms.inbox)', sms.rereadMs, 'customer phone POST (carrier accepted)', sms.postMs);

	console.log(`bench: screen pop (${SCREEN_POP_AGENTS} agents in Chromium)`);
	const phonePage = await (await fetch(`${base}/phone`, { headers: { cookie: admin.cookie } })).text();
	const callers = [...phonePage.matchAll(/<option value="(\+\d{8,15})"/g)].map((m) => m[1]!);
	if (callers.length === 0) throw new Error('the phone page suggests no demo callers');
	const pop = await benchScreenPop({
		baseUrl: base,
		agents,
		number: SALES_NUMBER,
		callers,
		rounds: rounds(25),
		carrierAccount: { accountSid: app.accountSid, authToken: app.authToken }
	});
	console.log(`  ${pop.agentsRung} of ${SCREEN_POP_AGENTS} agents rang; the caller's name was on ${pop.withName} of ${pop.latenciesMs.length} rings`);
	console.log(`  incoming webhook answered in p50 ${fmt(percentile(pop.webhookMs, 50))} ms, p99 ${fmt(percentile(pop.webhookMs, 99))} ms (carrier's measure)`);
	add(`screen pop: incoming webhook -> ringing with name on the agent's page, ${SCREEN_POP_AGENTS} agents`, pop.latenciesMs, 'carrier starts ringing the agent (after the consent notice)', pop.carrierMs);
}

async function overHttp() {
	const port = Number(process.env.BENCH_PORT ?? 4390);
	const app = await startApp(port);
	try {
		if (runs('http')) await liveSmsAndScreenPop(app);
		if (runs('webhook-pglite')) {
			console.log(`bench: signed incoming-call webhook throughput (${WEBHOOK_CONCURRENCY} concurrent), PGlite`);
			await webhookThroughput(app, 'PGlite');
		}
	} finally {
		app.stop();
	}
}

/**
 * Run `fn` with the URL of a new database on the PostgreSQL server, dropped afterwards; a server
 * that cannot be reached is reported and skipped.
 */
async function withFreshPostgresUrl(fn: (url: string) => Promise<void>) {
	const name = `bench_${randomBytes(4).toString('hex')}`;
	const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`create database ${name}`);
		const url = new URL(PG_URL);
		url.pathname = `/${name}`;
		await fn(url.toString());
	} catch (error) {
		console.error(`  PostgreSQL at ${PG_URL} unavailable: ${errorMessage(error)}`);
	} finally {
		await admin.unsafe(`drop database if exists ${name} with (force)`).catch(() => {});
		await admin.end();
	}
}

/**
 * The same webhook burst with the archive on PostgreSQL (DATABASE_URL), as in production: once
 * on an archive with a call center's history (ARCHIVE_CUSTOMERS customers, ARCHIVE_CALLS past
 * calls, analyzed; bench/webhook-archive.ts), and once on a new, empty one.
 */
async function webhookOnPostgres() {
	for (const history of [{ customers: ARCHIVE_CUSTOMERS, calls: ARCHIVE_CALLS }, null]) {
		await withFreshPostgresUrl(async (url) => {
			const app = await startApp(Number(process.env.BENCH_PORT ?? 4390) + 1, url);
			try {
				let label = 'PostgreSQL, empty archive';
				if (history) {
					const t0 = performance.now();
					const archive = await openDatabase({ driver: 'postgres', url });
					try {
						const held = await seedArchiveHistory(archive.db, history, 'sales', SALES_NUMBER);
						label = `PostgreSQL, ${held.customers / 1000}k customers, ${held.calls / 1000}k past calls`;
					} finally {
						await archive.close();
					}
					console.log(`  archive history ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
				}
				console.log(`bench: signed incoming-call webhook throughput (${WEBHOOK_CONCURRENCY} concurrent), ${label}`);
				await webhookThroughput(app, label);
			} finally {
				app.stop();
				await new Promise((r) => setTimeout(r, 1000)); // let it close its connections before the drop
			}
		});
	}
}

if (runs('http') || runs('webhook-pglite')) await overHttp();
if (runs('webhook-postgres')) await webhookOnPostgres();

async function inboxOn(label: string, db: Db) {
	const viewerId = `bench-viewer-${randomBytes(4).toString('hex')}`;
	await db.execute(sql`insert into "user" (id, name, email, role) values (${viewerId}, 'Bench Viewer', ${`${viewerId}@switchboard.local`}, 'agent')`);
	const seeded = await seedSmsArchive(db, { threads: SMS_THREADS, perThread: SMS_PER_THREAD, viewerId });
	console.log(`  ${label}: ${seeded.threads.toLocaleString('en-US')} threads, ${seeded.messages.toLocaleString('en-US')} messages seeded in ${(seeded.ms / 1000).toFixed(1)} s`);
	const hot = await createLocalHotState();
	try {
		const r = await benchInboxLoad(db, hot, { id: viewerId }, 200);
		for (const [name, plan] of Object.entries(r.plans)) {
			const table = name === 'thread page' ? 'sms_messages' : 'sms_threads';
			console.log(`  ${label} ${name}: ${usesIndexFor(plan, table) ? 'index only' : `SEQUENTIAL SCAN of ${table}`}`);
		}
		const size = `${SMS_THREADS / 1000}k threads, ${SMS_THREADS * SMS_PER_THREAD >= 1e6 ? `${(SMS_THREADS * SMS_PER_THREAD) / 1e6}M` : `${(SMS_THREADS * SMS_PER_THREAD) / 1000}k`} messages`;
		add(`inbox first load, ${label}, ${size}`, r.firstLoadMs, 'bare SELECT of the first 51 threads', r.bareInboxMs);
		add(`thread open (hydrate 10 + first page), ${label}`, r.threadOpenMs, 'bare SELECT of the first 31 messages', r.bareThreadMs);
	} finally {
		await hot.close();
	}
}

const archiveRuns = [...(runs('lookup') ? [lookupOn] : []), ...(runs('inbox') ? [inboxOn] : [])];
if (archiveRuns.length > 0) console.log('bench: phone lookup and SMS inbox on PGlite');
for (const run of archiveRuns) {
	const lite = await openDatabase({ driver: 'pglite', dir: 'memory://' });
	await run('PGlite', lite.db);
	await lite.close();
}

/** Run `fn` on a fresh database of the PostgreSQL server, dropped afterwards. */
async function onFreshPostgres(fn: (db: Db) => Promise<void>) {
	await withFreshPostgresUrl(async (url) => {
		const pg = await openDatabase({ driver: 'postgres', url });
		try {
			await fn(pg.db);
		} finally {
			await pg.close();
		}
	});
}

async function reportingOn(label: string, db: Db) {
	const t0 = performance.now();
	await seedYear(db, REPORT_CALLS);
	console.log(`  ${label}: a year of ${REPORT_CALLS.toLocaleString('en-US')} calls logged and aggregated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
	const history = await benchHistory(db, 30);
	add(`history: a year by day (charts, previous year, agent table) from the day rollup, ${label}, ${REPORT_CALLS / 1e6}M calls`, history.report, 'the same figures aggregated from the raw log', history.raw);
	add(`history: the same report from the 15-minute rows only (before the rollup), ${label}`, history.intervals, 'the same figures aggregated from the raw log', history.raw);
	console.log(`  ${label}: the first report (rolling the two years of days it reads) took ${history.first.toFixed(0)} ms`);
	const board = await benchWallboard(db, 50, 30);
	add(`wallboard: call answered -> tile changed on 50 wallboards, ${label}`, board.update, "the answered event's own commit", board.commit);
}

if (runs('reporting')) {
	console.log('bench: reporting history and wallboard on PostgreSQL');
	await onFreshPostgres((db) => reportingOn('PostgreSQL', db));
}

if (runs('click-to-dial')) {
	console.log('bench: click-to-dial (pre-check, softphone connect, outbound route) to the customer phone ringing, PGlite');
	const r = await benchClickToDial({ rounds: rounds(100) });
	add('click-to-dial: after the click -> customer phone ringing, PGlite', r.dialMs, "carrier's own leg: REST Calls.create -> ringing", r.restMs);
}

const CAMPAIGN_LEADS = Number(process.env.BENCH_CAMPAIGN_LEADS ?? 100_000);
if (runs('next-call')) {
console.log(`bench: Next-call claim (50 agents at once, ${CAMPAIGN_LEADS.toLocaleString('en-US')} leads, PGlite)`);
{
	const lite = await openDatabase({ driver: 'pglite', dir: 'memory://' });
	const hot = await createLocalHotState();
	try {
		const r = await benchNextCall(lite.db, hot, { leads: CAMPAIGN_LEADS, agents: 50, rounds: 10 });
		add(`Next-call claim, 50 agents at once, ${CAMPAIGN_LEADS / 1000}k-lead campaign, PGlite`, r.claimsMs, '50 concurrent engine round trips (health.ping)', r.baselineMs);
	} finally {
		await hot.close();
		await lite.close();
	}
}
}

if (runs('transfer')) {
	console.log('bench: transfer offer latency (Transfer pressed -> the target rings), PGlite, local engine, local carrier');
	const lite = await openDatabase({ driver: 'pglite', dir: 'memory://' });
	const hot = await createLocalHotState();
	const telephony = createTelephony(
		parseConfig({ TELEPHONY: 'local', TWILIO_ACCOUNT_SID: `AC${'7'.repeat(32)}`, TWILIO_AUTH_TOKEN: 'bench-transfer-token', AUTH_SECRET: 'bench-transfer-secret-at-least-32-characters', PUBLIC_BASE_URL: 'http://127.0.0.1:4351' })
	);
	try {
		const r = await benchTransferOffer(lite.db, hot, telephony, rounds(100));
		add('transfer offer: Transfer pressed -> target softphone rings (carrier device incoming)', r.ringMs, "the carrier's leg creation (createCall) in the same run", r.legMs);
		add("transfer offer: Transfer pressed -> target's browser notice (Broadcast)", r.noticeMs, "the carrier's leg creation (createCall) in the same run", r.legMs);
	} finally {
		await hot.close();
		await lite.close();
	}
}

if (archiveRuns.length > 0) console.log('bench: phone lookup and SMS inbox on PostgreSQL');
for (const run of archiveRuns) await onFreshPostgres((db) => run('PostgreSQL', db));

if (runs('search')) {
	console.log('bench: search over call transcripts on PostgreSQL');
	try {
		const searchDb = await openDatabase({ driver: 'postgres', url: await searchBenchUrl(PG_URL) });
		try {
			await seedTranscripts(searchDb.db, SEARCH_TRANSCRIPTS, (line) => console.log(line));
			const r = await benchSearch(searchDb.db);
			const size = SEARCH_TRANSCRIPTS >= 1e6 ? `${SEARCH_TRANSCRIPTS / 1e6}M` : `${SEARCH_TRANSCRIPTS / 1000}k`;
			add(`search (filters, rank, snippets), manager, ${size} transcripts`, r.manager, 'bare GIN @@ LIMIT 20', r.bare);
			add(`search, agent (own calls), ${size} transcripts`, r.agent, 'bare GIN @@ LIMIT 20', r.bare);
		} finally {
			await searchDb.close();
		}
	} catch (error) {
		console.error(`  search bench skipped: ${errorMessage(error)}`);
	}
}
let speech: Awaited<ReturnType<typeof benchLocalSpeech>> | null = null;
if (runs('speech')) {
	console.log('bench: local speech on generated call audio');
	speech = await benchLocalSpeech();
}

let grading: ReturnType<typeof benchLocalGrading> | null = null;
if (runs('quality')) {
console.log(`bench: quality review queue and scorecard history at ${SCORECARDS} scorecards`);
async function qualityOn(label: string, db: Db) {
	const q = await benchQualityQueries(db, SCORECARDS);
	add(`review queue (100 calls), ${label}, ${SCORECARDS / 1000}k scorecards`, q.queue, 'bare SELECT of 100 queue items', q.bareQueue);
	add(`agent scorecard history (50), ${label}, ${SCORECARDS / 1000}k scorecards`, q.history, 'bare indexed SELECT of 50 cards', q.bareHistory);
}
{
	const lite = await openDatabase({ driver: 'pglite', dir: 'memory://' });
	await qualityOn('PGlite', lite.db);
	await lite.close();
}
await onFreshPostgres((db) => qualityOn('PostgreSQL', db));
grading = benchLocalGrading();
}

console.log('\n| bench | n | p50 ms | p99 ms | baseline | base p50 ms | base p99 ms | p50 ratio |');
console.log('|---|---:|---:|---:|---|---:|---:|---:|');
for (const r of rows) {
	console.log(`| ${r.bench} | ${r.n} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.baseline} | ${fmt(r.b50)} | ${fmt(r.b99)} | ${(r.p50 / r.b50).toFixed(2)}x |`);
}
if (throughput.length > 0) {
	console.log('\n| throughput | requests | concurrency | req/s | p99 ms | node:http signature check + fixed TwiML req/s | its p99 ms | req/s ratio | p99 ratio |');
	console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
	for (const { bench, app, floor } of throughput) {
		const p99 = percentile(app.latenciesMs, 99);
		const f99 = percentile(floor.latenciesMs, 99);
		console.log(
			`| ${bench} | ${app.requests} | ${app.concurrency} | ${app.perSecond.toFixed(0)} | ${fmt(p99)} | ${floor.perSecond.toFixed(0)} | ${fmt(f99)} | ${(app.perSecond / floor.perSecond).toFixed(3)}x | ${(p99 / f99).toFixed(1)}x |`
		);
	}
}
if (speech) {
	console.log('\n| speech | lines | audio s | word error rate | real-time factor | sox decode + resample RTF | ratio |');
	console.log('|---|---:|---:|---:|---:|---:|---:|');
	console.log(
		`| ${speech.engine}, generated 8 kHz call audio | ${speech.lines} | ${speech.audioSeconds.toFixed(1)} | ${(speech.wer * 100).toFixed(0)}% | ${speech.rtf.toFixed(2)} | ${speech.soxRtf.toFixed(3)} | ${(speech.rtf / speech.soxRtf).toFixed(0)}x |`
	);
}
if (grading) {
console.log('\n| local grading | calls/min | normalising the same text only, calls/min | ratio |');
console.log('|---|---:|---:|---:|');
console.log(`| rules over ${SCRIPTED_COUNT} scripted calls | ${grading.callsPerMinute.toFixed(0)} | ${grading.normalisePerMinute.toFixed(0)} | ${(grading.callsPerMinute / grading.normalisePerMinute).toFixed(3)}x |`);
// Agreement with the intended scores: the set the cues were tuned on, and calls they never saw.
console.log('\n| local grader vs intended scores | calls | category | mean abs diff | within one | exact |');
console.log('|---|---:|---|---:|---:|---:|');
for (const [set, calls] of Object.entries(AGREEMENT_SETS)) {
	const a = gradingAgreement(calls);
	const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
	for (const [category, s] of [...Object.entries(a.perCategory), ['all', a.all] as const]) {
		console.log(`| ${set} | ${a.calls} | ${category} | ${s.meanAbsDiff.toFixed(2)} | ${pct(s.withinOne)} | ${pct(s.exact)} |`);
	}
}
}
process.exit(0);
