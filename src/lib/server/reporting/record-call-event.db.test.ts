import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, gte } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../db/test-db';
import { calls, voiceQueues } from '../db/schema/calls';
import { callLog, reportIntervals } from '../db/schema/reporting';
import { AppError } from '../errors';
import { rebuildIntervals } from './fold-log';
import { queryHistory } from './query-history';
import { recordCallEvent } from './record-call-event';

let t: TestDb;
let n = 0;
beforeAll(async () => {
	t = await createTestDb();
	await t.db.insert(voiceQueues).values({ number: '+14155550100', name: 'sales', slTargetSeconds: 30, shortAbandonSeconds: 8 });
}, 60_000);
afterAll(() => t.close());

async function newCall(): Promise<string> {
	n += 1;
	const [row] = await t.db.insert(calls).values({ callSid: `CA${String(n).padStart(32, '0')}`, direction: 'inbound', queue: 'sales' }).returning({ id: calls.id });
	return row!.id;
}

const sortedIntervals = () => t.db.select().from(reportIntervals).orderBy(asc(reportIntervals.bucket), asc(reportIntervals.agentId));

describe('recordCallEvent', () => {
	it('records a replayed event once, in the transaction, and counts it once', async () => {
		const id = await newCall();
		const offered = { callId: id, type: 'offered' as const, at: new Date('2026-12-01T09:59:00Z'), queue: 'sales' };
		expect(await t.db.transaction((tx) => recordCallEvent(tx, offered))).toBe(true);
		expect(await t.db.transaction((tx) => recordCallEvent(tx, offered))).toBe(false);
		const answered = { callId: id, type: 'answered' as const, at: new Date('2026-12-01T10:00:05Z'), agentId: 'alice', seconds: 65 };
		await t.db.transaction((tx) => recordCallEvent(tx, answered));
		await t.db.transaction((tx) => recordCallEvent(tx, answered));
		const log = await t.db.select().from(callLog);
		expect(log.map((e) => [e.type, e.queue, e.callStartedAt.toISOString()])).toEqual([
			['offered', 'sales', '2026-12-01T09:59:00.000Z'],
			// Counted in the interval the call was offered in, with the queue it was offered to.
			['answered', 'sales', '2026-12-01T09:59:00.000Z']
		]);
		const rows = await sortedIntervals();
		expect(rows.map((r) => [r.bucket.toISOString(), r.agentId, r.offered, r.answered, r.answeredInTarget, r.waitAnsweredSeconds])).toEqual([
			['2026-12-01T09:45:00.000Z', '', 1, 0, 0, 0],
			// 65 s is over this queue's T of 30 s.
			['2026-12-01T09:45:00.000Z', 'alice', 0, 1, 0, 65]
		]);
	});

	it("stores an abandon shorter than the queue's S as a short abandon", async () => {
		const short = await newCall();
		const long = await newCall();
		for (const [id, wait] of [[short, 7], [long, 8]] as const) {
			await t.db.transaction(async (tx) => {
				await recordCallEvent(tx, { callId: id, type: 'offered', at: new Date('2026-12-01T10:20:00Z'), queue: 'sales' });
				await recordCallEvent(tx, { callId: id, type: 'abandoned', at: new Date('2026-12-01T10:20:10Z'), seconds: wait });
			});
		}
		const types = (await t.db.select({ type: callLog.type, seconds: callLog.seconds }).from(callLog)).filter((e) => e.type.endsWith('abandon') || e.type === 'abandoned');
		expect(types).toEqual([
			{ type: 'short_abandon', seconds: 7 },
			{ type: 'abandoned', seconds: 8 }
		]);
	});

	it('writes nothing when the transaction fails', async () => {
		const id = await newCall();
		await expect(
			t.db.transaction(async (tx) => {
				await recordCallEvent(tx, { callId: id, type: 'offered', at: new Date('2026-12-02T10:00:00Z'), queue: 'sales' });
				throw new Error('the call fact failed');
			})
		).rejects.toThrow('the call fact failed');
		expect((await t.db.select().from(callLog)).filter((e) => e.callId === id)).toEqual([]);
	});

	it('rebuilds the aggregates from the log to exactly what was kept as calls happened', async () => {
		const before = await sortedIntervals();
		await t.db.delete(reportIntervals).where(gte(reportIntervals.bucket, new Date(0)));
		expect(await sortedIntervals()).toEqual([]);
		await rebuildIntervals(t.db, { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
		expect(await sortedIntervals()).toEqual(before);
	});
});

describe('queryHistory', () => {
	const ask = (over: Partial<Parameters<typeof queryHistory>[1]>) => queryHistory(t.db, { from: '2026-12-01', to: '2026-12-01', interval: 'hour', queues: [], agents: [], ...over }, 'UTC');
	const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? `${e.kind}:${e.code}` : String(e)));

	it('reads the figures per interval, with the period before and the agent table', async () => {
		const report = await ask({});
		expect(report.points).toHaveLength(24);
		expect(report.points[9]!.figures).toMatchObject({ offered: 1, answered: 1, serviceLevel: 0 });
		expect(report.points[10]!.figures).toMatchObject({ offered: 2, abandoned: 1, shortAbandons: 1, abandonRate: 1 });
		expect(report.totals).toMatchObject({ offered: 3, answered: 1 });
		expect(report.previous).toHaveLength(24);
		expect(report.previousTotals.offered).toBe(0);
		expect(report.agents.map((a) => [a.agentId, a.figures.answered])).toEqual([['alice', 1]]);
	});

	it('refuses bad ranges and unknown queues with what to change', async () => {
		expect(await code(ask({ from: '2026-12-02', to: '2026-12-01' }))).toBe('BAD_REQUEST:RANGE_END_BEFORE_START');
		expect(await code(ask({ from: '2016-12-01', to: '2026-12-01', interval: 'week' }))).toBe('BAD_REQUEST:RANGE_TOO_LONG');
		expect(await code(ask({ from: '2026-01-01', to: '2026-12-01', interval: '15m' }))).toBe('BAD_REQUEST:TOO_MANY_INTERVALS');
		expect(await code(ask({ from: '2026-02-30' }))).toBe('BAD_REQUEST:BAD_DATE');
		expect(await code(ask({ queues: ['nope'] }))).toBe('BAD_REQUEST:UNKNOWN_QUEUE');
	});
});
