import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../db/test-db';
import { calls, voiceQueues } from '../db/schema/calls';
import { callLog } from '../db/schema/reporting';
import { logCallControlEvent, UnknownCallError } from './log-call-control-event';
import { queryHistory } from './query-history';
import { recordCallEvent } from './record-call-event';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
	await t.db.insert(voiceQueues).values({ number: '+14155550100', name: 'sales' });
}, 120_000);
afterAll(() => t.close());

const at = (iso: string) => new Date(iso);

describe('logCallControlEvent', () => {
	it('hold moves seconds from talk to hold; a transfer counts once per ref; AHT = talk + hold + wrap-up', async () => {
		const [call] = await t.db.insert(calls).values({ callSid: 'CAcustomer', agentCallSid: 'CAagentleg', direction: 'inbound', queue: 'sales' }).returning({ id: calls.id });
		const id = call!.id;
		await t.db.transaction(async (tx) => {
			await recordCallEvent(tx, { callId: id, type: 'offered', at: at('2026-12-03T10:00:00Z'), queue: 'sales' });
			await recordCallEvent(tx, { callId: id, type: 'answered', at: at('2026-12-03T10:00:10Z'), agentId: 'alice', seconds: 10 });
		});
		// By the agent's leg or the customer's; the resume finds its hold by ref (30 s).
		expect(await logCallControlEvent(t.db, { callSid: 'CAagentleg', kind: 'held', agentId: 'alice', at: at('2026-12-03T10:01:00Z'), ref: 'h1' })).toBe(true);
		expect(await logCallControlEvent(t.db, { callSid: 'CAcustomer', kind: 'resumed', agentId: 'alice', at: at('2026-12-03T10:01:30Z'), ref: 'h1' })).toBe(true);
		// The same transfer reported twice, then a conference (logged only), then a second transfer.
		expect(await logCallControlEvent(t.db, { callSid: 'CAcustomer', kind: 'transferred', agentId: 'alice', at: at('2026-12-03T10:02:00Z'), ref: 't1', target: 'bob' })).toBe(true);
		expect(await logCallControlEvent(t.db, { callSid: 'CAcustomer', kind: 'transferred', agentId: 'alice', at: at('2026-12-03T10:02:01Z'), ref: 't1', target: 'bob' })).toBe(false);
		await logCallControlEvent(t.db, { callSid: 'CAcustomer', kind: 'conference', agentId: 'bob', at: at('2026-12-03T10:03:00Z'), ref: 'c1', target: '+15551234567' });
		await logCallControlEvent(t.db, { callSid: 'CAcustomer', kind: 'transferred', agentId: 'bob', at: at('2026-12-03T10:04:00Z'), ref: 't2', target: 'support' });
		await t.db.transaction(async (tx) => {
			// Answer to hang-up: 230 s, of which 30 s on hold.
			await recordCallEvent(tx, { callId: id, type: 'ended', at: at('2026-12-03T10:04:00Z'), agentId: 'alice', seconds: 230 });
			await recordCallEvent(tx, { callId: id, type: 'wrapup_ended', at: at('2026-12-03T10:04:20Z'), agentId: 'alice', seconds: 20 });
		});
		const log = await t.db.select({ type: callLog.type, key: callLog.key, seconds: callLog.seconds }).from(callLog);
		expect(log.filter((e) => ['held', 'resumed', 'transferred', 'conferenced'].includes(e.type))).toEqual([
			{ type: 'held', key: 'h1', seconds: null },
			{ type: 'resumed', key: 'h1', seconds: 30 },
			{ type: 'transferred', key: 't1', seconds: null },
			{ type: 'conferenced', key: 'c1', seconds: null },
			{ type: 'transferred', key: 't2', seconds: null }
		]);
		const report = await queryHistory(t.db, { from: '2026-12-03', to: '2026-12-03', interval: 'day', queues: [], agents: [] }, 'UTC');
		expect(report.totals).toMatchObject({ handled: 1, transfers: 2, aht: 200 + 30 + 20 });
		const [point] = report.points;
		expect([point!.sums.talkSeconds, point!.sums.holdSeconds, point!.sums.wrapupSeconds]).toEqual([200, 30, 20]);
	});

	it('refuses a CallSid the archive does not know', async () => {
		await expect(logCallControlEvent(t.db, { callSid: 'CAnope', kind: 'held', agentId: 'alice', at: new Date() })).rejects.toBeInstanceOf(UnknownCallError);
	});
});
