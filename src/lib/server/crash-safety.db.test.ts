/**
 * Crash safety, proven (issue 17 item 4): a burst of 200 calls and 200 texts goes through the
 * carrier's own webhook dispatcher (Twilio's retry on a connect failure included) into the real
 * services running as a separate process; that process is SIGKILLed in the middle, started again
 * on the same archive, and the deliveries it never answered are delivered again (same signed
 * params, same idempotency token). Then: every delivery answered 200 is archived exactly once,
 * the jobs queued before the kill have finished, and hot state (rebuilt at start) holds exactly
 * the archive's open calls, each in a queue that exists. Runs on PGlite (a data directory the
 * kill leaves as it is) and, with DATABASE_URL, on a PostgreSQL database made for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { count, eq, inArray } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from './adapters/telephony/carrier/clock';
import { WebhookDispatcher, type WebhookResult } from './adapters/telephony/carrier/webhooks';
import { signWebhook } from './adapters/telephony/shared';
import { openDatabase, type Database } from './db/client';
import { calls, voiceQueues } from './db/schema/calls';
import { smsAttachments, smsMessages } from './db/schema/sms';
import { webhookDeliveries } from './db/schema/webhooks';
import { setLogLevel } from './log';

const ACCOUNT_SID = `AC${'5'.repeat(32)}`;
const AUTH_TOKEN = 'crash-test-token';
const CUSTOMER = '+12125550199';
const QUEUE_NUMBERS = ['+14155550100', '+14155550101'];
const CALLS = 200;
const TEXTS = 200;
/** Every tenth text is an MMS, so fetch-mms-media jobs are queued before the kill. */
const MMS_EVERY = 10;
/** Deliveries in flight at once, as a carrier's burst arrives. */
const CONCURRENCY = 8;
/** The kill comes once this many deliveries were answered 200. */
const KILL_AFTER = 150;
const START_TIMEOUT_MS = 60_000;
/** Deleted while the server is down (its number is +14155550101). */
const REMOVED_QUEUE = 'support';

const hex = (n: number) => randomBytes(n).toString('hex');

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as { port: number }).port;
			s.close(() => resolve(port));
		});
	});
}

interface Server {
	child: ChildProcess;
	exited: Promise<void>;
}

/** The crash server (test-crash-server.ts); resolves once it listens. */
async function startServer(env: Record<string, string>): Promise<Server> {
	// node itself with tsx's loader, not the tsx CLI: the CLI runs the script in a child of its own,
	// which a SIGKILL to the CLI would leave running.
	const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/lib/server/test-crash-server.ts')], {
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	let stderr = '';
	child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`crash server did not start in ${START_TIMEOUT_MS} ms: ${stderr}`)), START_TIMEOUT_MS);
		child.stdout.on('data', (c: Buffer) => {
			if (c.toString().includes('READY')) {
				clearTimeout(timer);
				resolve();
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`crash server exited with ${code} before listening: ${stderr}`));
		});
	});
	return { child, exited };
}

async function stopServer(server: Server, signal: NodeJS.Signals): Promise<void> {
	if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
	await server.exited;
}

async function getJson<T>(url: string): Promise<T> {
	const res = await fetch(url);
	if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
	return (await res.json()) as T;
}

async function waitFor(what: string, ms: number, probe: () => Promise<boolean>): Promise<void> {
	const deadline = Date.now() + ms;
	while (!(await probe())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

interface Board {
	incoming: { callSid: string }[];
	waiting: { callSid: string; queueName: string }[];
	active: { callSid: string }[];
}

interface Planned {
	kind: 'voice' | 'sms';
	sid: string;
	params: Record<string, string>;
}

function plan(base: string): Planned[] {
	const out: Planned[] = [];
	for (let i = 0; i < Math.max(CALLS, TEXTS); i++) {
		if (i < CALLS) {
			const sid = `CA${hex(16)}`;
			out.push({
				kind: 'voice',
				sid,
				params: { CallSid: sid, AccountSid: ACCOUNT_SID, From: CUSTOMER, To: QUEUE_NUMBERS[i % 2]!, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01' }
			});
		}
		if (i < TEXTS) {
			const mms = i % MMS_EVERY === 0;
			const sid = `${mms ? 'MM' : 'SM'}${hex(16)}`;
			const params: Record<string, string> = { MessageSid: sid, AccountSid: ACCOUNT_SID, From: CUSTOMER, To: QUEUE_NUMBERS[0]!, Body: `burst ${i}`, NumMedia: mms ? '1' : '0', NumSegments: '1', ApiVersion: '2010-04-01' };
			// On the local carrier's media host (the crash server): the first process never answers it, so
			// fetch-mms-media jobs are running at the kill; the second answers 404, which fails the file and ends the job.
			if (mms) Object.assign(params, { MediaUrl0: `${base}/carrier/crash-media/${sid}.jpg`, MediaContentType0: 'image/jpeg' });
			out.push({ kind: 'sms', sid, params });
		}
	}
	return out;
}

describe('crash safety: SIGKILL in the middle of a webhook burst', () => {
	let env: Record<string, string>;
	let base: string;
	let dataDir: string;
	let dropDatabase: (() => Promise<void>) | undefined;
	let server: Server | undefined;

	beforeAll(async () => {
		// The carrier logs every connection it could not make; the outage is the point here.
		setLogLevel('error');
		const port = await freePort();
		base = `http://127.0.0.1:${port}`;
		dataDir = mkdtempSync(path.join(tmpdir(), 'switchboard-crash-'));
		env = {
			PORT: String(port),
			TELEPHONY: 'local',
			LIVE: 'local',
			TWILIO_ACCOUNT_SID: ACCOUNT_SID,
			TWILIO_AUTH_TOKEN: AUTH_TOKEN,
			AUTH_SECRET: 'crash-test-secret-at-least-32-characters',
			PUBLIC_BASE_URL: base,
			DATA_DIR: dataDir,
			DEMO_DATA: 'true',
			LOG_LEVEL: 'error',
			NODE_ENV: 'test'
		};
		const url = process.env.DATABASE_URL;
		if (url) {
			const name = `crash_${Date.now().toString(36)}_${hex(4)}`;
			const admin = postgres(url, { max: 1, onnotice: () => {} });
			await admin.unsafe(`create database "${name}"`);
			await admin.end({ timeout: 5 });
			const testUrl = new URL(url);
			testUrl.pathname = `/${name}`;
			env.DATABASE_URL = testUrl.toString();
			dropDatabase = async () => {
				const sqlc = postgres(url, { max: 1, onnotice: () => {} });
				await sqlc.unsafe(`drop database if exists "${name}" with (force)`);
				await sqlc.end({ timeout: 5 });
			};
		} else {
			env.DATABASE_URL = '';
		}
	});

	/** The crash server's archive, opened by the test itself (PGlite only while that server is down). */
	const openArchive = (): Promise<Database> =>
		openDatabase(env.DATABASE_URL ? { driver: 'postgres', url: env.DATABASE_URL } : { driver: 'pglite', dir: path.join(dataDir, 'pglite') });

	afterAll(async () => {
		if (server) await stopServer(server, 'SIGKILL');
		await dropDatabase?.();
		rmSync(dataDir, { recursive: true, force: true });
	});

	it('archives every answered delivery exactly once, finishes queued jobs and rebuilds hot state from the archive', { timeout: 180_000 }, async () => {
		const t0 = Date.now();
		server = await startServer({ ...env, CRASH_HANG_MEDIA: '1' });
		const bootMs = Date.now() - t0;
		const dispatcher = new WebhookDispatcher({ sign: (url, params) => signWebhook(AUTH_TOKEN, url, params), clock: new RealClock() });
		const planned = plan(base);
		const results = new Map<string, WebhookResult>();
		const answered = new Set<string>();
		let answeredBeforeKill: Set<string> | undefined;
		let boardSnapshot: Promise<Board> | undefined;
		let jobsSnapshot: Promise<Record<string, number>> | undefined;
		let killed: Promise<void> | undefined;

		const deliver = async (p: Planned) => {
			const url = `${base}${p.kind === 'voice' ? '/webhooks/twilio/voice' : '/webhooks/twilio/sms'}`;
			const result = await dispatcher.request({ kind: p.kind, url, params: p.params, ...(p.kind === 'voice' ? { callSid: p.sid } : { messageSid: p.sid }) });
			results.set(p.sid, result);
			if (result.outcome.ok && result.outcome.status === 200) answered.add(p.sid);
			if (!boardSnapshot && answered.size >= KILL_AFTER / 2) {
				boardSnapshot = getJson<Board>(`${base}/__test/board`);
				jobsSnapshot = getJson<Record<string, number>>(`${base}/__test/jobs?name=fetch-mms-media`);
			}
			if (!killed && answered.size >= KILL_AFTER) {
				// The kill lands with deliveries in flight: whatever was answered 200 by now must be in the archive.
				answeredBeforeKill = new Set(answered);
				server!.child.kill('SIGKILL');
				killed = server!.exited;
			}
		};
		let next = 0;
		await Promise.all(
			Array.from({ length: CONCURRENCY }, async () => {
				while (next < planned.length) await deliver(planned[next++]!);
			})
		);
		await killed;
		const boardBeforeKill = await boardSnapshot;
		expect((await jobsSnapshot)?.active ?? 0, 'fetch-mms-media jobs were running when the server died').toBeGreaterThan(0);
		expect(answeredBeforeKill, 'the kill happened in the middle of the burst').toBeDefined();
		const failedDuringOutage = planned.filter((p) => !answered.has(p.sid));
		expect(failedDuringOutage.length, 'some deliveries met the dead server').toBeGreaterThan(0);
		expect(boardBeforeKill?.waiting.filter((w) => w.queueName === REMOVED_QUEUE).length ?? 0, 'callers were waiting in the support queue when the server died').toBeGreaterThan(0);

		// While the server is down an admin removes the support queue, where callers were waiting.
		const down = await openArchive();
		await down.db.delete(voiceQueues).where(eq(voiceQueues.name, REMOVED_QUEUE));
		await down.close();

		// Started again on the same archive; the carrier delivers again what was never answered.
		const t1 = Date.now();
		// Without the demo seed this time, which would put the default queues back.
		server = await startServer({ ...env, DEMO_DATA: 'false' });
		const restartMs = Date.now() - t1;
		const boardAfterRestart = await getJson<Board>(`${base}/__test/board`);
		for (const id of failedDuringOutage.map((p) => results.get(p.sid)!.delivery.id)) {
			const again = await dispatcher.replay(id);
			expect(again.outcome, `delivery ${again.callSid ?? again.messageSid} answered after the restart`).toMatchObject({ ok: true, status: 200 });
			answered.add(again.callSid ?? again.messageSid!);
		}
		expect(answered.size).toBe(CALLS + TEXTS);
		// Jobs queued before the kill (and after) run to the end, within a minute (a job cut off by the kill included).
		const mmsJobs = () => getJson<Record<string, number>>(`${base}/__test/jobs?name=fetch-mms-media`);
		const t2 = Date.now();
		await waitFor('every fetch-mms-media job to complete', 60_000, async () => (await mmsJobs()).completed === TEXTS / MMS_EVERY);
		expect(await mmsJobs()).toEqual({ completed: TEXTS / MMS_EVERY });
		const jobsMs = Date.now() - t2;
		const boardAfter = await getJson<Board>(`${base}/__test/board`);
		await stopServer(server, 'SIGTERM');
		server = undefined;

		// The archive, read directly.
		const database = await openArchive();
		try {
			const { db } = database;
			const callSids = planned.filter((p) => p.kind === 'voice').map((p) => p.sid);
			const messageSids = planned.filter((p) => p.kind === 'sms').map((p) => p.sid);
			const callRows = await db.select({ callSid: calls.callSid, endedAt: calls.endedAt, outcome: calls.outcome }).from(calls).where(inArray(calls.callSid, callSids));
			const ledger = await db
				.select({ key: webhookDeliveries.dedupeKey })
				.from(webhookDeliveries)
				.where(inArray(webhookDeliveries.dedupeKey, callSids.map((s) => `voice.incoming:${s}`)));
			const texts = await db.select({ messageSid: smsMessages.messageSid }).from(smsMessages).where(inArray(smsMessages.messageSid, messageSids));
			const times = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
			const callTimes = times(callRows.map((r) => r.callSid));
			const ledgerTimes = times(ledger.map((r) => r.key));
			const textTimes = times(texts.map((r) => r.messageSid ?? ''));
			for (const sid of answeredBeforeKill!) {
				if (sid.startsWith('CA')) {
					expect(callTimes.get(sid), `call ${sid} answered before the kill`).toBe(1);
					expect(ledgerTimes.get(`voice.incoming:${sid}`), `ledger row of ${sid}`).toBe(1);
				} else expect(textTimes.get(sid), `text ${sid} answered before the kill`).toBe(1);
			}
			expect(callRows).toHaveLength(CALLS);
			expect(new Set(callTimes.values())).toEqual(new Set([1]));
			expect(ledger).toHaveLength(CALLS);
			expect(texts).toHaveLength(TEXTS);
			expect(new Set(textTimes.values())).toEqual(new Set([1]));

			// The jobs have run to the end: no media is left pending.
			const mmsIds = (await db.select({ id: smsMessages.id }).from(smsMessages).where(inArray(smsMessages.messageSid, messageSids.filter((s) => s.startsWith('MM'))))).map((r) => r.id);
			expect(mmsIds).toHaveLength(TEXTS / MMS_EVERY);
			const pending = await db.select({ n: count() }).from(smsAttachments).where(eq(smsAttachments.status, 'pending'));
			expect(pending[0]?.n).toBe(0);

			// Hot state holds exactly the archive's open calls, each in a queue that exists.
			const queueNames = new Set((await db.select({ name: voiceQueues.name }).from(voiceQueues)).map((q) => q.name));
			// Open as the start-up rebuild counts them: not ended and no outcome (a refused call has one).
			const open = new Set(callRows.filter((r) => r.endedAt === null && r.outcome === null).map((r) => r.callSid));
			expect(queueNames.has(REMOVED_QUEUE)).toBe(false);
			for (const board of [boardAfterRestart, boardAfter]) {
				for (const w of board.waiting) expect(queueNames.has(w.queueName), `${w.callSid} waits in ${w.queueName}`).toBe(true);
			}
			const hotSids = [...boardAfter.incoming, ...boardAfter.waiting, ...boardAfter.active].map((c) => c.callSid);
			expect(new Set(hotSids)).toEqual(open);
			// Right after the restart hot state already held only calls the archive has open: none of the
			// callers who waited in the removed queue (the local carrier forgets its calls when its process dies).
			for (const c of [...boardAfterRestart.incoming, ...boardAfterRestart.waiting, ...boardAfterRestart.active]) expect(open.has(c.callSid), `${c.callSid} after the restart`).toBe(true);
			const lostQueue = new Set(boardBeforeKill!.waiting.filter((w) => w.queueName === REMOVED_QUEUE).map((w) => w.callSid));
			expect(boardAfterRestart.waiting.filter((w) => lostQueue.has(w.callSid))).toEqual([]);
			console.info(
				`crash safety (${database.driver}): boot ${bootMs} ms, restart ${restartMs} ms, ${answeredBeforeKill!.size} answered before the kill, ${failedDuringOutage.length} delivered again, jobs done ${jobsMs} ms after, total ${Date.now() - t0} ms`
			);
		} finally {
			await database.close();
		}
	});
});
