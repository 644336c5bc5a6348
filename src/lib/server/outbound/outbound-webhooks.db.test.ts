/**
 * The outbound route as Twilio drives it: a Client-originated call posted exactly as Twilio
 * posts it (signed), answered with `<Dial callerId><Number>` as an exact XML string; the bad
 * inputs each refused with a spoken reason and nothing dialled; the dialled leg's progress
 * taking the call to wrap-up and the customer's timeline.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { agentClientIdentity } from '../calls/caller-number';
import { createVoiceHarness, newCallSid, SALES_NUMBER, ACCOUNT_SID, type VoiceHarness } from '../calls/test-harness';
import { VOICE_PATHS } from '../calls/voice-paths';
import { wrapUpCall } from '../calls/wrap-up-call';
import { recordConsent } from '../compliance/record-consent';
import { activities } from '../db/schema/crm';
import { outboundAttempts } from '../db/schema/compliance';
import { gateAttempt } from './gate';
import { calls } from '../db/schema/calls';
import type { Identity } from '../live/hot';

const WALLBOARD = { subject: 'wallboard-viewer', role: 'supervisor' as const, name: 'Wallboard' };
/** 10:00 in New York, 07:00 in California (closed there). */
const CLOCK = '2026-12-07T15:00:00Z';
const APP_SID = `AP${'7'.repeat(32)}`;

let h: VoiceHarness;
beforeAll(async () => {
	h = await createVoiceHarness({ env: { OUTBOUND_CLOCK_START: CLOCK } });
}, 60_000);
afterAll(() => h.close());

let n = 0;
const freshNy = () => `+1212555${String(2000 + ++n).padStart(4, '0')}`;

/** Exactly the fields Twilio posts to a TwiML App's voice URL for Device.connect({ params }). */
function clientCall(agent: Identity, params: Record<string, string>, callSid = newCallSid()) {
	const identity = `client:${agentClientIdentity(agent.subject)}`;
	return {
		callSid,
		params: {
			AccountSid: ACCOUNT_SID,
			ApiVersion: '2010-04-01',
			ApplicationSid: APP_SID,
			CallSid: callSid,
			CallStatus: 'ringing',
			Called: '',
			Caller: identity,
			Direction: 'inbound',
			From: identity,
			...params
		}
	};
}

async function dial(agent: Identity, params: Record<string, string>, callSid?: string) {
	const c = clientCall(agent, params, callSid);
	const res = await h.post(VOICE_PATHS.outbound, c.params);
	return { callSid: c.callSid, status: res.status, body: await res.text() };
}

const board = () => h.hot.query(api.callBoard.board, {}, WALLBOARD);
const attemptsTo = (to: string) => h.testDb.db.select().from(outboundAttempts).where(eq(outboundAttempts.toPhone, to));

describe('POST /webhooks/twilio/voice/outbound', () => {
	it('answers a Client-originated call with the Dial Twilio runs, as an exact XML string, and holds the call by number and agent', async () => {
		const agent = await h.addAgent(['sales'], 'Olive Out');
		const to = freshNy();
		const customerId = await h.addCustomer(to, 'Grace');
		const { callSid, status, body } = await dial(agent, { To: to, customerId });
		expect(status).toBe(200);
		expect(body).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response>' +
				`<Dial callerId="${SALES_NUMBER}" action="/webhooks/twilio/voice/outbound/dial-action" timeout="30" record="record-from-answer-dual" recordingStatusCallback="/webhooks/twilio/voice/recording">` +
				`<Number url="/webhooks/twilio/voice/outbound/notice" statusCallback="/webhooks/twilio/voice/outbound/status" statusCallbackEvent="initiated ringing answered completed">${to}</Number>` +
				'</Dial></Response>'
		);
		const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, callSid));
		expect(row).toMatchObject({ direction: 'outbound', toE164: to, fromE164: SALES_NUMBER, customerId, agentId: agent.subject, queue: 'sales' });
		expect(await attemptsTo(to)).toEqual([
			expect.objectContaining({
				decision: 'allowed',
				channel: 'voice',
				source: 'manual',
				actorId: agent.subject,
				callSid,
				recipientLocalTime: '2026-12-07T10:00-05:00'
			})
		]);
		const active = (await board()).active.find((a) => a.callSid === callSid);
		expect(active).toMatchObject({
			direction: 'outbound',
			agentId: agent.subject,
			customerNumber: to,
			state: 'ringing',
			customerId,
			customerName: 'Grace Lovelace'
		});
		expect(await h.hot.query(api.agentStatus.mine, {}, agent)).toMatchObject({ status: 'busy' });

		// A retried delivery gets the same Dial and writes nothing more.
		expect((await dial(agent, { To: to, customerId }, callSid)).body).toBe(body);
		expect(await attemptsTo(to)).toHaveLength(1);
	});

	it('refuses an unsigned request before reading it', async () => {
		const agent = await h.addAgent(['sales']);
		const to = freshNy();
		const c = clientCall(agent, { To: to });
		const res = await h.post(VOICE_PATHS.outbound, c.params, { signature: null });
		expect(res.status).toBe(403);
		expect(await attemptsTo(to)).toEqual([]);
	});

	it('refuses each bad dial with its reason spoken, keeps the attempt, and dials nothing', async () => {
		const agent = await h.addAgent(['sales']);
		const dnc = freshNy();
		await recordConsent(h.testDb.db, { phone: dnc, channel: 'all', action: 'opt_out', source: 'agent', reason: 'Asked on the phone' });
		const cases: [string, string, RegExp][] = [
			['+1 555 123 4567', 'INVALID_NUMBER', /is not a valid phone number/],
			['22395', 'SHORT_CODE', /is a short code/],
			['+1 900 555 0100', 'PREMIUM_RATE', /premium-rate/],
			['+44 20 7946 0958', 'INTERNATIONAL_NOT_ALLOWED', /only dials US, CA numbers/],
			[dnc, 'DNC_BLOCKED', /Do-Not-Contact list/],
			['+1 415 555 0188', 'OUTSIDE_CALLING_HOURS', /It is 7:00 AM PST for \+14155550188; calls and texts are allowed 08:00-21:00/]
		];
		const before = await h.counts();
		for (const [to, rule, said] of cases) {
			const { body } = await dial(agent, { To: to });
			expect(body, to).not.toContain('<Dial');
			expect(body, to).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say>Call not placed\. .*<\/Say><Hangup\/><\/Response>$/);
			expect(body, to).toMatch(said);
			const [attempt] = await h.testDb.db.select().from(outboundAttempts).where(eq(outboundAttempts.code, rule));
			expect(attempt, rule).toMatchObject({ decision: 'refused', actorId: agent.subject });
		}
		expect((await h.counts()).calls).toBe(before.calls);
		expect((await board()).active.filter((a) => a.agentId === agent.subject)).toEqual([]);
		expect(await h.hot.query(api.agentStatus.mine, {}, agent)).toMatchObject({ status: 'available' });
	});

	it("reuses the allowed attempt a campaign's own gate wrote for the dial, and gates again an attempt that is not that agent's", async () => {
		const [agent, other] = [await h.addAgent(['sales']), await h.addAgent(['sales'])];
		const campaignAttempt = (actor: Identity, to: string) =>
			h.testDb.db.transaction((tx) =>
				gateAttempt(tx, { actor: { id: actor.subject }, to, channel: 'voice', source: 'campaign', campaignId: 'cmp-1', leadId: 'lead-1', now: new Date(CLOCK), rules: h.config.outbound.rules })
			);
		const to = freshNy();
		const gated = await campaignAttempt(agent, to);
		if (!gated.ok || !gated.attemptId) throw new Error('the campaign gate refused');
		const params = { To: to, source: 'campaign', campaignId: 'cmp-1', leadId: 'lead-1', outboundAttemptId: gated.attemptId };
		const { callSid, body } = await dial(agent, params);
		expect(body).toContain('<Dial');
		// One attempt, the campaign's, now linked to the call: not a second one refused by its own re-call gap.
		expect(await attemptsTo(to)).toEqual([expect.objectContaining({ id: gated.attemptId, decision: 'allowed', source: 'campaign', callSid })]);

		const second = freshNy();
		const others = await campaignAttempt(agent, second);
		if (!others.ok || !others.attemptId) throw new Error('the campaign gate refused');
		const { body: refused } = await dial(other, { ...params, To: second, outboundAttemptId: others.attemptId });
		expect(refused).not.toContain('<Dial');
		const attempts = await attemptsTo(second);
		expect(attempts).toHaveLength(2);
		expect(attempts.find((a) => a.id === others.attemptId)).toMatchObject({ callSid: null });
		expect(attempts.find((a) => a.id !== others.attemptId)).toMatchObject({ decision: 'refused', actorId: other.subject });
	});

	it('refuses a second call from an agent already on one, and a second dial of a number on a call (DIAL_IN_PROGRESS)', async () => {
		const [first, second] = [await h.addAgent(['sales']), await h.addAgent(['sales'])];
		const to = freshNy();
		expect((await dial(first, { To: to })).body).toContain('<Dial');
		const busy = await dial(first, { To: freshNy() });
		expect(busy.body).toContain('You are already on a call; hang up before placing another.');
		const twice = await dial(second, { To: to });
		expect(twice.body).toContain(`${to} is already on a call with another agent; it cannot be dialled twice at once.`);
		expect((await attemptsTo(to)).map((a) => a.code).sort()).toEqual(['ALLOWED', 'DIAL_IN_PROGRESS']);
		expect(await h.hot.query(api.agentStatus.mine, {}, second)).toMatchObject({ status: 'available' });
	});

	it('takes the dialled leg through answer and hang-up to wrap-up, and the call reaches the timeline', async () => {
		const agent = await h.addAgent(['sales'], 'Tim Line');
		const to = freshNy();
		const customerId = await h.addCustomer(to, 'Ida');
		const { callSid } = await dial(agent, { To: to, customerId });
		const child = newCallSid();
		const leg = (CallStatus: string, SequenceNumber: number, extra: Record<string, string> = {}) =>
			h.post(VOICE_PATHS.outboundStatus, {
				AccountSid: ACCOUNT_SID,
				CallSid: child,
				ParentCallSid: callSid,
				From: SALES_NUMBER,
				To: to,
				Direction: 'outbound-dial',
				CallStatus,
				SequenceNumber: String(SequenceNumber),
				...extra
			});
		expect((await leg('ringing', 1)).status).toBe(204);
		const notice = await h.post(VOICE_PATHS.outboundNotice, {
			AccountSid: ACCOUNT_SID,
			CallSid: child,
			ParentCallSid: callSid,
			From: SALES_NUMBER,
			To: to
		});
		expect(await notice.text()).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Say>This call may be recorded for quality and training.</Say></Response>'
		);
		await leg('in-progress', 2);
		expect((await board()).active.find((a) => a.callSid === callSid)).toMatchObject({ state: 'in-progress', recording: true });
		await leg('completed', 3, { CallDuration: '42' });
		const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, callSid));
		expect(row).toMatchObject({ outcome: 'answered', talkSeconds: 42, status: 'completed' });
		expect(await h.hot.query(api.agentStatus.mine, {}, agent)).toMatchObject({ status: 'wrapup' });
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, agent)).toEqual([expect.objectContaining({ callSid, from: to, customerId })]);
		// The Dial's own end, after the callbacks, changes nothing.
		const action = await h.post(VOICE_PATHS.outboundDialAction, {
			AccountSid: ACCOUNT_SID,
			CallSid: callSid,
			From: `client:${agentClientIdentity(agent.subject)}`,
			To: to,
			DialCallStatus: 'completed',
			DialCallSid: child,
			DialCallDuration: '42'
		});
		expect(await action.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
		expect((await h.testDb.db.select().from(calls).where(eq(calls.callSid, callSid)))[0]).toMatchObject({ outcome: 'answered', talkSeconds: 42 });
		// Saving the wrap-up frees the agent and puts the call on the customer's timeline.
		await wrapUpCall(h.services, agent, { callSid, disposition: 'interested', notes: 'Wants a quote' });
		expect(await h.hot.query(api.agentStatus.mine, {}, agent)).toMatchObject({ status: 'available' });
		const timeline = await h.testDb.db.select().from(activities).where(eq(activities.customerId, customerId));
		expect(timeline).toEqual([
			expect.objectContaining({
				kind: 'call',
				summary: expect.stringMatching(/^Outbound call, answered by .+, 42s$/),
				data: expect.objectContaining({ callSid, direction: 'outbound', disposition: 'interested' })
			})
		]);
	});

	it("frees the agent who hung up before this answer: the softphone leg's canceled status came first", async () => {
		const agent = await h.addAgent(['sales'], 'Quick Hang');
		const to = freshNy();
		const customerId = await h.addCustomer(to, 'Hal');
		const c = clientCall(agent, { To: to, customerId });
		// The TwiML App's status callback for the softphone's own leg, posted as the agent hung up,
		// overtaking the voice request still on its way.
		const status = await h.post(VOICE_PATHS.status, { ...c.params, CallStatus: 'canceled', CallDuration: '0' });
		expect(status.status).toBeLessThan(300);
		const res = await h.post(VOICE_PATHS.outbound, c.params);
		expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
		expect(await h.hot.query(api.agentStatus.mine, {}, agent)).toMatchObject({ status: 'available' });
		expect((await board()).active.find((a) => a.callSid === c.callSid)).toBeUndefined();
		const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, c.callSid));
		expect(row).toMatchObject({ direction: 'outbound', toE164: to, customerId, agentId: agent.subject, status: 'canceled' });
		// Nothing holds the agent: their next dial goes through.
		expect((await dial(agent, { To: freshNy() })).body).toContain('<Number ');
	});

	it('frees the agent when the Dial ends with no leg callbacks at all (busy at once)', async () => {
		const agent = await h.addAgent(['sales']);
		const to = freshNy();
		const { callSid } = await dial(agent, { To: to });
		await h.post(VOICE_PATHS.outboundDialAction, {
			AccountSid: ACCOUNT_SID,
			CallSid: callSid,
			From: `client:${agentClientIdentity(agent.subject)}`,
			To: to,
			DialCallStatus: 'busy'
		});
		const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, callSid));
		expect(row).toMatchObject({ status: 'busy', outcome: 'abandoned' });
		expect(await h.hot.query(api.agentStatus.mine, {}, agent)).toMatchObject({ status: 'wrapup' });
		expect((await board()).active.find((a) => a.callSid === callSid)).toMatchObject({ state: 'wrapup' });
	});
});
