/** An agent's softphone dialling `queue:<name>`: exact TwiML, oldest caller first, retries answered the same. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { calls } from '../db/schema/calls';
import { agentPickupTarget } from './handle-agent-pickup';
import { ACCOUNT_SID, createVoiceHarness, newCallSid, type VoiceHarness } from './test-harness';
import { waitingIn } from './test-board';
import { VOICE_PATHS } from './voice-paths';

/** The roster and the call board are the wallboard's, so tests read them as a supervisor. */
const WALLBOARD = { subject: 'wallboard-viewer', role: 'supervisor' as const, name: 'Wallboard' };

let h: VoiceHarness;
beforeAll(async () => {
	h = await createVoiceHarness();
	await h.addQueue('+14155550130', 'takeme', ['takeme-skill']);
}, 60_000);
afterAll(() => h.close());

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const call = (sid: string, from: string, to: string) => ({
	CallSid: sid,
	AccountSid: ACCOUNT_SID,
	From: from,
	To: to,
	CallStatus: 'ringing',
	Direction: 'inbound'
});

describe('agentPickupTarget', () => {
	it('reads the agent and queue, and ignores anything else', () => {
		expect(agentPickupTarget({ From: 'client:agent_u1', To: 'queue:support' })).toEqual({ agentId: 'u1', queueName: 'support' });
		expect(agentPickupTarget({ From: '+12125550123', To: 'queue:support' })).toBeNull();
		expect(agentPickupTarget({ From: 'client:alice', To: 'queue:support' })).toBeNull();
		expect(agentPickupTarget({ From: 'client:agent_u1', To: '+14155550100' })).toBeNull();
		expect(agentPickupTarget({ From: 'client:agent_u1', To: 'queue:' })).toBeNull();
	});
});

describe('POST /webhooks/twilio/voice from an agent softphone to queue:<name>', () => {
	it('claims the oldest waiting caller and answers <Dial><Queue>, the same again on a retry', async () => {
		const older = newCallSid();
		const newer = newCallSid();
		await h.post(VOICE_PATHS.incoming, call(older, '+12125550301', '+14155550130'));
		await h.post(VOICE_PATHS.incoming, call(newer, '+12125550302', '+14155550130'));
		const agent = await h.addAgent(['takeme-skill']);
		const leg = newCallSid();
		const request = {
			...call(leg, `client:agent_${agent.subject}`, 'queue:takeme'),
			CallStatus: 'in-progress'
		};
		const headers = { 'I-Twilio-Idempotency-Token': `pick-${leg}` };
		const expected = `${XML}<Response><Dial action="/webhooks/twilio/voice/dial-action"><Queue url="/webhooks/twilio/voice/queue-bridge?agent=${agent.subject}">takeme</Queue></Dial></Response>`;
		expect(await (await h.post(VOICE_PATHS.incoming, request, { headers })).text()).toBe(expected);
		const before = await h.counts();
		expect(await (await h.post(VOICE_PATHS.incoming, request, { headers })).text()).toBe(expected);
		expect(await h.counts()).toEqual(before);

		expect((await waitingIn(h.hot, 'takeme')).map((w) => w.callSid)).toEqual([newer]);
		const me = (await h.hot.query(api.agentStatus.list, {}, WALLBOARD)).find((s) => s.userId === agent.subject);
		expect(me?.status).toBe('busy');

		const bridge = await h.post(`${VOICE_PATHS.queueBridge}?agent=${agent.subject}`, {
			...call(older, '+12125550301', '+14155550130'),
			DequeingCallSid: leg,
			QueueTime: '12'
		});
		expect(await bridge.text()).toBe(`${XML}<Response/>`);
		const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, older));
		expect(row).toMatchObject({ agentId: agent.subject, agentCallSid: leg });
		expect(row?.answeredAt).toBeInstanceOf(Date);
	});

	it('refuses a pickup for an agent without the queue skill by saying nobody waits, writing nothing', async () => {
		await h.post(VOICE_PATHS.incoming, call(newCallSid(), '+12125550303', '+14155550130'));
		const agent = await h.addAgent(['other-skill']);
		const before = await h.counts();
		const res = await h.post(VOICE_PATHS.incoming, call(newCallSid(), `client:agent_${agent.subject}`, 'queue:takeme'));
		expect(await res.text()).toBe(`${XML}<Response><Say>Nobody is waiting in this queue right now.</Say><Hangup/></Response>`);
		expect(await h.counts()).toEqual(before);
	});
});
