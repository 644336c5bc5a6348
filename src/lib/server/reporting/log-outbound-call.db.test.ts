import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb, type TestDb } from '../db/test-db';
import { calls, voiceQueues } from '../db/schema/calls';
import { outboundAttempts } from '../db/schema/compliance';
import { callLog } from '../db/schema/reporting';
import { logCallEnd } from '../calls/log-inbound-events';
import type { CallFacts } from '../calls/fold-call-status';
import { queryHistory } from './query-history';
import { recordCallEvent } from './record-call-event';
import { computeWallboard } from './wallboard-snapshot';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
	await t.db.insert(voiceQueues).values({ number: '+14155550100', name: 'sales', slTargetSeconds: 20 });
}, 120_000);
afterAll(() => t.close());

const at = (iso: string) => new Date(iso);
let n = 0;
async function newCall(direction: 'inbound' | 'outbound', receivedAt: Date): Promise<{ id: string; sid: string }> {
	n += 1;
	const sid = `CA${String(n).padStart(32, '0')}`;
	const [row] = await t.db.insert(calls).values({ callSid: sid, direction, queue: direction === 'inbound' ? 'sales' : null, receivedAt }).returning({ id: calls.id });
	return { id: row!.id, sid };
}
const facts = (over: Partial<CallFacts>): CallFacts => ({
	status: 'completed',
	statusRank: 3,
	receivedAt: at('2026-12-04T10:00:00Z'),
	ringingAt: null,
	answeredAt: null,
	endedAt: null,
	voicemailAt: null,
	rejectedAt: null,
	agentId: null,
	agentCallSid: null,
	talkSeconds: null,
	waitSeconds: null,
	outcome: null,
	...over
});
const typesOf = async (callId: string) => (await t.db.select({ type: callLog.type, direction: callLog.direction }).from(callLog).where(eq(callLog.callId, callId)).orderBy(callLog.id)).map((e) => `${e.direction}:${e.type}`);

describe('calls the log missed before', () => {
	it('logs callers of a closed queue apart: a message is a callback, a hang-up no abandon, neither in service level', async () => {
		const message = await newCall('inbound', at('2026-12-04T22:00:00Z'));
		const hangup = await newCall('inbound', at('2026-12-04T22:01:00Z'));
		for (const c of [message, hangup]) await t.db.transaction((tx) => recordCallEvent(tx, { callId: c.id, type: 'offered_closed', at: at('2026-12-04T22:00:00Z'), queue: 'sales' }));
		await t.db.transaction((tx) => logCallEnd(tx, message.id, facts({ endedAt: at('2026-12-04T22:01:00Z'), voicemailAt: at('2026-12-04T22:00:00Z'), outcome: 'voicemail', waitSeconds: 60 })));
		await t.db.transaction((tx) => logCallEnd(tx, hangup.id, facts({ endedAt: at('2026-12-04T22:01:10Z'), outcome: 'abandoned', waitSeconds: 10 })));
		expect(await typesOf(message.id)).toEqual(['inbound:offered_closed', 'inbound:voicemail']);
		expect(await typesOf(hangup.id)).toEqual(['inbound:offered_closed', 'inbound:closed_hangup']);
		const { totals } = await queryHistory(t.db, { from: '2026-12-04', to: '2026-12-04', interval: 'day', queues: ['sales'], agents: [] }, 'UTC');
		expect(totals).toMatchObject({ offeredClosed: 2, offered: 0, callbacks: 1, abandoned: 0, serviceLevel: null, abandonRate: null });
	});

	it('logs outbound and campaign calls: placed, connected or not (with why), talk; none in the inbound figures', async () => {
		const answered = await newCall('outbound', at('2026-12-05T09:00:00Z'));
		const busy = await newCall('outbound', at('2026-12-05T09:05:00Z'));
		const campaign = await newCall('outbound', at('2026-12-05T09:10:00Z'));
		await t.db.insert(outboundAttempts).values({ channel: 'voice', toPhone: '+12125550199', decision: 'allowed', code: 'CONSENT_OK', reason: 'ok', source: 'campaign', campaignId: 'c1', callSid: campaign.sid });
		await t.db.transaction((tx) => logCallEnd(tx, answered.id, facts({ answeredAt: at('2026-12-05T09:00:15Z'), endedAt: at('2026-12-05T09:03:15Z'), agentId: 'alice', talkSeconds: 180, outcome: 'answered' })));
		await t.db.transaction((tx) => logCallEnd(tx, busy.id, facts({ status: 'busy', endedAt: at('2026-12-05T09:05:05Z'), agentId: 'alice', outcome: 'abandoned' })));
		await t.db.transaction((tx) => logCallEnd(tx, campaign.id, facts({ status: 'no-answer', endedAt: at('2026-12-05T09:10:30Z'), agentId: 'bob', outcome: 'abandoned' })));
		expect(await typesOf(answered.id)).toEqual(['outbound:placed', 'outbound:connected', 'outbound:ended']);
		expect(await typesOf(campaign.id)).toEqual(['campaign:placed', 'campaign:not_connected']);
		const [reason] = await t.db.select({ payload: callLog.payload }).from(callLog).where(eq(callLog.callId, busy.id)).orderBy(callLog.id).offset(1);
		expect(reason!.payload).toEqual({ reason: 'busy' });
		// A replayed end adds nothing.
		await t.db.transaction((tx) => logCallEnd(tx, busy.id, facts({ status: 'busy', endedAt: at('2026-12-05T09:05:05Z'), agentId: 'alice', outcome: 'abandoned' })));
		const report = await queryHistory(t.db, { from: '2026-12-05', to: '2026-12-05', interval: 'hour', queues: [], agents: [] }, 'UTC');
		expect(report.totals).toMatchObject({ placed: 3, connected: 1, offered: 0, answered: 0, handled: 0, aht: null });
		expect(report.points[9]!.sums.outboundTalkSeconds).toBe(180);
		expect(report.agents.map((a) => [a.agentId, a.figures.placed, a.figures.connected])).toEqual([
			['alice', 2, 1],
			['bob', 1, 0]
		]);
	});

	it("today's service level leaves out callers still waiting within T, and counts them once they wait past it", async () => {
		const waiting = await newCall('inbound', at('2026-12-06T10:00:00Z'));
		const answered = await newCall('inbound', at('2026-12-06T10:00:00Z'));
		await t.db.transaction(async (tx) => {
			await recordCallEvent(tx, { callId: waiting.id, type: 'offered', at: at('2026-12-06T10:00:00Z'), queue: 'sales' });
			await recordCallEvent(tx, { callId: answered.id, type: 'offered', at: at('2026-12-06T10:00:00Z'), queue: 'sales' });
			await recordCallEvent(tx, { callId: answered.id, type: 'answered', at: at('2026-12-06T10:00:05Z'), agentId: 'alice', seconds: 5 });
		});
		const sales = async (now: string) => (await computeWallboard(t.db, 'UTC', at(now))).queues.find((q) => q.queue === 'sales')!;
		// 15 s in (T is 20 s): only the answered call counts: 100%.
		expect((await sales('2026-12-06T10:00:15Z')).today).toMatchObject({ offered: 2, serviceLevel: 1 });
		expect((await sales('2026-12-06T10:00:15Z')).now.serviceLevel).toBe(1);
		// 25 s in: the caller can no longer be answered in time: 1 of 2.
		expect((await sales('2026-12-06T10:00:25Z')).today).toMatchObject({ offered: 2, serviceLevel: 0.5 });
	});
});
