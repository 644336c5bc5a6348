/** Jobs are queued inside the caller's transaction: committed rows get their job, rolled-back ones none. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAdapters, type Adapters } from '../adapters';
import { createTestDb, type TestDb } from '../db/test-db';
import { rowsOf } from '../db/rows';
import { parseConfig } from '../env';
import { createLocalHotState, type HotState } from '../live/hot';
import { setLogLevel } from '../log';
import type { Jobs } from './jobs';
import { createTestJobs } from './test-jobs';

let testDb: TestDb;
let hot: HotState;
let jobs: Jobs;
let closeAdapters: () => Promise<void>;
let adapters: Adapters;

const data = (n: number) => ({ callSid: `CA${String(n).padStart(32, '0')}`, recordingSid: `RE${String(n).padStart(32, '0')}`, recordingUrl: 'x', durationSeconds: 1, channels: 2 });

beforeAll(async () => {
	setLogLevel('silent');
	const config = parseConfig({
		TELEPHONY: 'local',
		TWILIO_ACCOUNT_SID: `AC${'7'.repeat(32)}`,
		TWILIO_AUTH_TOKEN: 'jobs-test-token',
		AUTH_SECRET: 'jobs-test-secret-at-least-32-characters!',
		PUBLIC_BASE_URL: 'https://sb.example.com',
		I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC: 'true',
		DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-jobs-')),
		LOG_LEVEL: 'silent'
	});
	adapters = await createAdapters(config);
	closeAdapters = () => adapters.close();
	[testDb, hot] = await Promise.all([createTestDb(), createLocalHotState()]);
	// Queue only: this file checks the transaction rule, not the handlers.
	jobs = await createTestJobs(testDb, { adapters, hot }, { work: false });
}, 60_000);
afterAll(async () => {
	await jobs?.stop();
	await Promise.allSettled([hot.close(), closeAdapters(), testDb.close()]);
});

describe('jobs', () => {
	it('queues a job with the transaction that commits, visible as created', async () => {
		const id = await testDb.db.transaction((tx) => jobs.enqueue(tx, 'fetch-recording', data(1)));
		expect(await jobs.status('fetch-recording', id)).toMatchObject({ id, name: 'fetch-recording', state: 'created', retryCount: 0, error: null });
	});

	it('queues nothing when the transaction rolls back', async () => {
		let id = '';
		await expect(
			testDb.db.transaction(async (tx) => {
				id = await jobs.enqueue(tx, 'fetch-recording', data(2));
				throw new Error('the webhook failed after queueing');
			})
		).rejects.toThrow('the webhook failed');
		expect(id).not.toBe('');
		expect(await jobs.status('fetch-recording', id)).toBeNull();
	});

	it('answers null for an unknown job id', async () => {
		expect(await jobs.status('fetch-recording', '00000000-0000-4000-8000-000000000000')).toBeNull();
	});
});

describe('jobs left running by a process that died', () => {
	/** What a SIGKILL leaves behind: the job claimed (active, one attempt counted) and nobody running it. */
	async function cutOff(n: number, retryCount = 1): Promise<string> {
		const id = await testDb.db.transaction((tx) => jobs.enqueue(tx, 'fetch-recording', data(n)));
		await testDb.db.execute(sql`update pgboss.job set state = 'active', started_on = now(), retry_count = ${retryCount} where id = ${id}::uuid`);
		return id;
	}
	async function runsNow(id: string): Promise<boolean> {
		const result: unknown = await testDb.db.execute(sql`select start_after <= now() as due from pgboss.job where id = ${id}::uuid`);
		const rows = rowsOf<{ due: boolean }>(result);
		return rows[0]?.due === true;
	}

	it('are retried at once when this process is the only worker, and failed past their retry limit', async () => {
		const id = await cutOff(10);
		const spent = await cutOff(11, 5);
		const next = await createTestJobs(testDb, { adapters, hot }, { work: false, soleWorker: true });
		try {
			expect(await next.status('fetch-recording', id)).toMatchObject({ state: 'retry', error: 'the server stopped while this job ran' });
			expect(await runsNow(id)).toBe(true);
			expect(await next.status('fetch-recording', spent)).toMatchObject({ state: 'failed', error: 'the server stopped while this job ran' });
		} finally {
			await next.stop();
		}
	});

	it('are left to their expiry when other servers may be running them', async () => {
		const id = await cutOff(12);
		const next = await createTestJobs(testDb, { adapters, hot }, { work: false });
		try {
			expect(await next.status('fetch-recording', id)).toMatchObject({ state: 'active' });
		} finally {
			await next.stop();
		}
	});
});

describe('jobs after a restart', () => {
	it('runs no handler until the server says its hot state is rebuilt', async () => {
		let rebuilt!: () => void;
		const ready = new Promise<void>((resolve) => (rebuilt = resolve));
		// The handler's first step is the carrier download: count it, and fail it.
		let downloads = 0;
		const telephony = new Proxy(adapters.telephony, {
			get(target, name) {
				if (name === 'fetchRecording') return () => (downloads++, Promise.reject(new Error('carrier unreachable')));
				const value: unknown = Reflect.get(target, name, target);
				return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
			}
		});
		// Only this test's job in the queue: the earlier tests leave jobs the worker would take first (one at a time).
		await testDb.db.execute(sql`delete from pgboss.job where name = 'fetch-recording'`);
		const worker = await createTestJobs(testDb, { adapters: { ...adapters, telephony }, hot }, { ready });
		try {
			const id = await testDb.db.transaction((tx) => worker.enqueue(tx, 'fetch-recording', data(9)));
			// The worker claims the job, then waits: it stays active, its first attempt not yet run.
			await vi.waitFor(async () => expect((await worker.status('fetch-recording', id))?.state).toBe('active'), { timeout: 20_000, interval: 100 });
			expect(await worker.status('fetch-recording', id)).toMatchObject({ state: 'active', error: null });
			expect(downloads).toBe(0);
			rebuilt();
			// Released: the handler runs and the job leaves active (done, or failed and retried).
			await vi.waitFor(async () => expect((await worker.status('fetch-recording', id))?.state).not.toBe('active'), { timeout: 20_000, interval: 100 });
			expect(downloads).toBe(1);
			expect((await worker.status('fetch-recording', id))?.error).toBe('carrier unreachable');
		} finally {
			rebuilt();
			await worker.stop();
		}
	}, 60_000);
});
