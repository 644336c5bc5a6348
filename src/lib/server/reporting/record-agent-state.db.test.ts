import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, gte } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../db/test-db';
import { calls, voiceQueues } from '../db/schema/calls';
import { agentStateIntervals, agentStateLog, reportDayMarks } from '../db/schema/reporting';
import { AgentStateRecorder } from './agent-state-recorder';
import { queryHistory } from './query-history';
import { rebuildAgentStates, recordAgentState } from './record-agent-state';
import { recordCallEvent } from './record-call-event';
import { JOB_QUEUES, type JobDeps } from '../jobs/jobs';
import { DEFAULT_SMS_RATES } from '../sms/sender-rate';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
	await t.db.insert(voiceQueues).values({ number: '+14155550100', name: 'sales' });
}, 120_000);
afterAll(() => t.close());

const at = (iso: string) => new Date(iso);
const intervals = () => t.db.select().from(agentStateIntervals).orderBy(asc(agentStateIntervals.agentId), asc(agentStateIntervals.bucket));

describe('agent state into the archive', () => {
	it('follows presence: each change once, a checkpoint at the interval boundary, occupancy in history', async () => {
		let now = at('2026-12-01T10:00:00Z');
		const recorder = new AgentStateRecorder(t.db, () => now);
		await recorder.observe([{ userId: 'alice', status: 'available', since: Date.parse('2026-12-01T10:00:00Z') }]);
		// The same roster again (another push) logs nothing new.
		await recorder.observe([{ userId: 'alice', status: 'available', since: Date.parse('2026-12-01T10:00:00Z') }]);
		await recorder.observe([{ userId: 'alice', status: 'busy', since: Date.parse('2026-12-01T10:10:00Z') }]);
		now = at('2026-12-01T10:16:00Z');
		await recorder.checkpoint();
		expect((await t.db.select().from(agentStateLog).orderBy(asc(agentStateLog.at))).map((r) => [r.state, r.at.toISOString()])).toEqual([
			['available', '2026-12-01T10:00:00.000Z'],
			['busy', '2026-12-01T10:10:00.000Z'],
			['busy', '2026-12-01T10:15:00.000Z']
		]);
		await recorder.observe([{ userId: 'alice', status: 'offline', since: Date.parse('2026-12-01T10:20:00Z') }]);
		expect((await intervals()).map((r) => [r.bucket.toISOString(), r.staffedSeconds, r.handlingSeconds])).toEqual([
			['2026-12-01T10:00:00.000Z', 900, 300],
			['2026-12-01T10:15:00.000Z', 300, 300]
		]);
		// A call so alice is in the agent table; the report reads the day (rolled: it ended long ago) and the hour.
		const [call] = await t.db.insert(calls).values({ callSid: 'CA00000000000000000000000000000001', direction: 'inbound', queue: 'sales' }).returning({ id: calls.id });
		await t.db.transaction(async (tx) => {
			await recordCallEvent(tx, { callId: call!.id, type: 'offered', at: at('2026-12-01T10:09:50Z'), queue: 'sales' });
			await recordCallEvent(tx, { callId: call!.id, type: 'answered', at: at('2026-12-01T10:10:00Z'), agentId: 'alice', seconds: 10 });
		});
		const byDay = await queryHistory(t.db, { from: '2026-12-01', to: '2026-12-01', interval: 'day', queues: [], agents: [] }, 'UTC');
		expect(byDay.points[0]!.figures.occupancy).toBeCloseTo(600 / 1200, 10);
		expect(byDay.agents.map((a) => [a.agentId, a.figures.answered, a.figures.occupancy])).toEqual([['alice', 1, 0.5]]);
		// The day and the period before it are rolled (both ended long ago).
		expect((await t.db.select().from(reportDayMarks).orderBy(asc(reportDayMarks.day))).map((m) => [m.zone, m.day])).toEqual([
			['UTC', '2026-11-30'],
			['UTC', '2026-12-01']
		]);
		const byHour = await queryHistory(t.db, { from: '2026-12-01', to: '2026-12-01', interval: 'hour', queues: ['sales'], agents: [] }, 'UTC');
		// A queue filter does not narrow agent time.
		expect(byHour.points[10]!.figures.occupancy).toBeCloseTo(0.5, 10);
		expect(byHour.totals).toEqual(byDay.totals);
	});

	it('logs presence times that carry milliseconds (hot state\'s `since`) as whole seconds', async () => {
		const recorder = new AgentStateRecorder(t.db, () => at('2026-12-02T10:30:00Z'));
		await recorder.observe([{ userId: 'milli', status: 'available', since: Date.parse('2026-12-02T10:00:00.250Z') }]);
		await recorder.observe([{ userId: 'milli', status: 'busy', since: Date.parse('2026-12-02T10:05:30.999Z') }]);
		await recorder.observe([{ userId: 'milli', status: 'offline', since: Date.parse('2026-12-02T10:06:00.400Z') }]);
		const mine = (await intervals()).filter((r) => r.agentId === 'milli');
		expect(mine.map((r) => [r.bucket.toISOString(), r.staffedSeconds, r.handlingSeconds])).toEqual([['2026-12-02T10:00:00.000Z', 360, 30]]);
	});

	it('a change landing on a rolled day un-marks it, so the next report counts it', async () => {
		// bob's first row closes no run, so it changes no figure and the day stays rolled; the second does.
		await recordAgentState(t.db, { agentId: 'bob', state: 'busy', at: at('2026-12-01T12:00:00Z') });
		expect((await t.db.select().from(reportDayMarks)).map((m) => m.day).sort()).toEqual(['2026-11-30', '2026-12-01']);
		await recordAgentState(t.db, { agentId: 'bob', state: 'away', at: at('2026-12-01T12:15:00Z') });
		expect((await t.db.select().from(reportDayMarks)).map((m) => m.day)).toEqual(['2026-11-30']);
		const report = await queryHistory(t.db, { from: '2026-12-01', to: '2026-12-01', interval: 'day', queues: [], agents: [] }, 'UTC');
		// alice 600 of 1200 s, bob 900 of 900 s.
		expect(report.totals.occupancy).toBeCloseTo(1500 / 2100, 10);
		expect(report.agents.map((a) => [a.agentId, a.figures.occupancy])).toEqual([['alice', 0.5], ['bob', 1]]);
	});

	it('a row logged between two others splits their run; the rebuild from the log gives the same intervals', async () => {
		await recordAgentState(t.db, { agentId: 'carol', state: 'available', at: at('2026-12-02T09:00:00Z') });
		await recordAgentState(t.db, { agentId: 'carol', state: 'offline', at: at('2026-12-02T09:10:00Z') });
		await recordAgentState(t.db, { agentId: 'carol', state: 'wrapup', at: at('2026-12-02T09:04:00Z') });
		const carol = (await intervals()).filter((r) => r.agentId === 'carol');
		expect(carol.map((r) => [r.staffedSeconds, r.handlingSeconds])).toEqual([[600, 360]]);
		const before = await intervals();
		await t.db.delete(agentStateIntervals).where(gte(agentStateIntervals.bucket, new Date(0)));
		await rebuildAgentStates(t.db, { from: at('2026-11-30T00:00:00Z'), to: at('2026-12-03T00:00:00Z') });
		expect(await intervals()).toEqual(before);
	});
});

describe('the hourly day rollup job', () => {
	it('sums settled days ahead of any report, in the call center time zone, and leaves today open', async () => {
		const now = new Date();
		const threeDaysAgo = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000 - 3 * 86_400_000 + 10 * 3_600_000);
		const [call] = await t.db.insert(calls).values({ callSid: 'CA00000000000000000000000000000777', direction: 'inbound', queue: 'sales' }).returning({ id: calls.id });
		await t.db.transaction((tx) => recordCallEvent(tx, { callId: call!.id, type: 'offered', at: threeDaysAgo, queue: 'sales' }));
		const job = JOB_QUEUES['roll-up-days'];
		await job.handle({ db: t.db, settings: { publicBaseUrl: 'https://sb.test', smsRates: DEFAULT_SMS_RATES, reportingTimeZone: 'UTC' } } as unknown as JobDeps, {}, { id: 'j', retryCount: 0, lastAttempt: true });
		const marks = (await t.db.select().from(reportDayMarks).where(gte(reportDayMarks.day, threeDaysAgo.toISOString().slice(0, 10)))).filter((m) => m.zone === 'UTC').map((m) => m.day);
		expect(marks).toContain(threeDaysAgo.toISOString().slice(0, 10));
		expect(marks).not.toContain(now.toISOString().slice(0, 10));
		expect(job.schedule).toBe('7 * * * *');
	});
});
