import { eq, like } from 'drizzle-orm';
import { getFunctionName } from 'convex/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from '$convex/_generated/api';
import { callEvents, calls, voiceQueues } from '../db/schema/calls';
import { webhookDeliveries } from '../db/schema/webhooks';
import { SYSTEM_IDENTITY, type HotState, type Identity } from '../live/hot';
import { formBody, signedRequest } from '../webhooks/test-requests';
import { ACCOUNT_SID, createVoiceHarness, HANDLERS, newCallSid, PUBLIC_BASE_URL, SALES_NUMBER, type VoiceHarness } from './test-harness';
import type { VoiceServices } from './voice-services';
import { loadCallDetails } from './call-details';
import { seedVoiceQueues } from './seed-voice-queues';
import { rebuildLiveCalls } from './rebuild-live-calls';
import { VOICE_PATHS } from './voice-paths';
import { ringingFor, waitingIn } from './test-board';
import { agentClientIdentity } from './caller-number';

/** The roster and the call board are the wallboard's, so tests read them as a supervisor. */
const WALLBOARD = { subject: 'wallboard-viewer', role: 'supervisor' as const, name: 'Wallboard' };

let h: VoiceHarness;
beforeAll(async () => {
	h = await createVoiceHarness();
	// A queue nobody has the skill for: its callers always wait.
	await h.addQueue('+14155550102', 'nobody', ['nobody-has-this']);
}, 60_000);
afterAll(() => h.close());

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const NOTICE = '<Say>This call may be recorded for quality and training.</Say>';
const incoming = (callSid: string, from: string, to: string) => ({
	CallSid: callSid,
	AccountSid: ACCOUNT_SID,
	From: from,
	To: to,
	CallStatus: 'ringing',
	Direction: 'inbound',
	ApiVersion: '2010-04-01'
});

function dialXml(agentId: string, params: Record<string, string>, notice = true, ring = 20) {
	const p = Object.entries(params)
		.map(([k, v]) => `<Parameter name="${k}" value="${v}"/>`)
		.join('');
	return (
		`${XML}<Response>${notice ? NOTICE : ''}<Dial answerOnBridge="true" action="/webhooks/twilio/voice/dial-action" timeout="${ring}" record="record-from-answer-dual" recordingStatusCallback="/webhooks/twilio/voice/recording">` +
		`<Client statusCallback="/webhooks/twilio/voice/status" statusCallbackEvent="initiated ringing answered completed"><Identity>${agentClientIdentity(agentId)}</Identity>${p}</Client></Dial></Response>`
	);
}
const enqueueXml = (queue: string, notice = true) =>
	`${XML}<Response>${notice ? NOTICE : ''}<Enqueue waitUrl="/webhooks/twilio/voice/wait" action="/webhooks/twilio/voice/enqueue-action">${queue}</Enqueue></Response>`;

async function callRow(callSid: string) {
	const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, callSid));
	return row;
}
async function eventKinds(callSid: string) {
	const row = await callRow(callSid);
	if (!row) return [];
	return (await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, row.id)).orderBy(callEvents.createdAt)).map((e) => e.kind);
}

describe('POST /webhooks/twilio/voice', () => {
	it('rings the free skilled agent with the customer as Parameters, archives the call, and answers a retry the same way', async () => {
		const agent = await h.addAgent(['sales']);
		const customerId = await h.addCustomer('+12125550123');
		const sid = newCallSid();
		const headers = { 'I-Twilio-Idempotency-Token': `tok-${sid}` };
		const res = await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550123', SALES_NUMBER), { headers });
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/text\/xml/);
		const expected = dialXml(agent.subject, {
			callSid: sid,
			from: '+12125550123',
			queue: 'sales',
			customerId,
			customerName: 'Ada Lovelace',
			company: 'Analytical Engines'
		});
		expect(await res.text()).toBe(expected);
		expect(await callRow(sid)).toMatchObject({ customerId, queue: 'sales', fromE164: '+12125550123', toE164: SALES_NUMBER, outcome: null });
		expect(await eventKinds(sid)).toEqual(['received', 'offered']);
		expect(await ringingFor(h.hot, agent)).toMatchObject({ callSid: sid, customerName: 'Ada Lovelace' });

		const before = await h.counts();
		const retry = await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550123', SALES_NUMBER), { headers });
		expect(await retry.text()).toBe(expected);
		expect(await h.counts()).toEqual(before);
	});

	it('hangs up a retry of a call the archive closed at a restart, and does not queue the caller again in hot state', async () => {
		const sid = newCallSid();
		const headers = { 'I-Twilio-Idempotency-Token': `tok-${sid}` };
		const first = await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550177', '+14155550102'), { headers });
		expect(await first.text()).toBe(enqueueXml('nobody'));
		expect((await waitingIn(h.hot, 'nobody')).map((w) => w.callSid)).toContain(sid);
		// The server restarts; the carrier (the local one forgets its calls) no longer knows the call, so the archive closes it.
		await rebuildLiveCalls(h.services);
		expect((await callRow(sid))?.endedAt).not.toBeNull();
		expect((await waitingIn(h.hot, 'nobody')).map((w) => w.callSid)).not.toContain(sid);

		// The answer to the first request was lost in the crash, so the carrier delivers it again.
		const before = await h.counts();
		const retry = await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550177', '+14155550102'), { headers });
		expect(retry.status).toBe(200);
		expect(await retry.text()).toBe(`${XML}<Response><Hangup/></Response>`);
		expect((await waitingIn(h.hot, 'nobody')).map((w) => w.callSid)).not.toContain(sid);
		expect(await h.counts()).toEqual(before);
	});

	it('refuses forged, missing and replayed-with-changed-body signatures with 403 and writes nothing', async () => {
		const sid = newCallSid();
		const params = incoming(sid, '+12125550177', SALES_NUMBER);
		const before = await h.counts();
		expect((await h.post(VOICE_PATHS.incoming, params, { signature: 'Zm9yZ2VkLXNpZ25hdHVyZQ==' })).status).toBe(403);
		expect((await h.post(VOICE_PATHS.incoming, params, { signature: null })).status).toBe(403);
		const signature = h.adapters.telephony.signWebhook({ url: `${h.config.publicBaseUrl}${VOICE_PATHS.incoming}`, params });
		const changed = formBody({ ...params, From: '+12125550100' });
		expect((await h.post(VOICE_PATHS.incoming, params, { signature, body: changed })).status).toBe(403);
		expect((await h.post(VOICE_PATHS.status, { ...params, CallStatus: 'completed' }, { signature: 'bad' })).status).toBe(403);
		expect((await h.post(VOICE_PATHS.dialAction, { ...params, DialCallStatus: 'no-answer' }, { signature: null })).status).toBe(403);
		expect(await h.counts()).toEqual(before);
		expect(await callRow(sid)).toBeUndefined();
	});

	it('refuses a forged or missing signature with 403 on every voice route, writing nothing', async () => {
		const sid = newCallSid();
		const params = {
			...incoming(sid, '+12125550178', SALES_NUMBER),
			CallStatus: 'completed',
			DialCallStatus: 'no-answer',
			QueueResult: 'hangup',
			RecordingSid: `RE${'1'.repeat(32)}`,
			RecordingStatus: 'completed',
			DequeingCallSid: newCallSid()
		};
		const before = await h.counts();
		const paths = Object.keys(HANDLERS);
		expect(paths).toEqual(expect.arrayContaining(Object.values(VOICE_PATHS)));
		for (const path of paths) {
			const forged = await h.post(path, params, { signature: 'Zm9yZ2VkLXNpZ25hdHVyZQ==' });
			const missing = await h.post(path, params, { signature: null });
			expect([path, forged.status, missing.status]).toEqual([path, 403, 403]);
		}
		expect(await h.counts()).toEqual(before);
		expect(await callRow(sid)).toBeUndefined();
	});

	it('answers a 2 MB body with 413 and a missing CallSid with 400, writing nothing', async () => {
		const before = await h.counts();
		const big = await h.post(VOICE_PATHS.incoming, { ...incoming(newCallSid(), '+12125550123', SALES_NUMBER), Junk: 'x'.repeat(2 * 1024 * 1024) });
		expect(big.status).toBe(413);
		const { CallSid: _omit, ...noSid } = incoming(newCallSid(), '+12125550123', SALES_NUMBER);
		const missing = await h.post(VOICE_PATHS.incoming, noSid);
		expect(missing.status).toBe(400);
		expect(await missing.text()).toMatch(/CallSid is missing/);
		expect((await h.post(VOICE_PATHS.status, { CallSid: newCallSid(), CallStatus: 'exploded' })).status).toBe(400);
		expect(await h.counts()).toEqual(before);
	});

	it.each(['anonymous', '+266696687', 'client:alice', 'sip:alice@example.com', ''])(
		'takes a call from %j as an unknown caller without a customer, with valid TwiML',
		async (from) => {
			const before = await h.counts();
			const sid = newCallSid();
			const res = await h.post(VOICE_PATHS.incoming, incoming(sid, from, '+14155550102'));
			expect(res.status).toBe(200);
			expect(await res.text()).toBe(enqueueXml('nobody'));
			expect(await callRow(sid)).toMatchObject({ fromRaw: from, fromE164: null, customerId: null });
			expect((await h.counts()).customers).toBe(before.customers);
		}
	);

	it('makes an unknown-caller lead for a number the CRM does not know', async () => {
		const before = await h.counts();
		const sid = newCallSid();
		await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550166', SALES_NUMBER));
		expect((await h.counts()).customers).toBe(before.customers + 1);
		expect((await callRow(sid))?.customerId).toEqual(expect.any(String));
	});

	it('completes the row a status callback made first, keeping when it was first seen', async () => {
		const customerId = await h.addCustomer('+12125550167');
		const sid = newCallSid();
		const early = await h.post(VOICE_PATHS.status, {
			...incoming(sid, '+12125550167', SALES_NUMBER),
			CallStatus: 'ringing',
			CallbackSource: 'call-progress-events',
			SequenceNumber: '0',
			Timestamp: new Date().toUTCString().replace('GMT', '+0000')
		});
		expect(early.status).toBeLessThan(300);
		const first = await callRow(sid);
		expect(first).toMatchObject({ customerId: null, queue: null });
		const res = await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550167', SALES_NUMBER));
		expect(res.status).toBe(200);
		const row = await callRow(sid);
		expect(row).toMatchObject({ id: first!.id, customerId, queue: 'sales', fromE164: '+12125550167', receivedAt: first!.receivedAt });
		expect(await eventKinds(sid)).toContain('received');
	});

	it('rejects a number Switchboard does not route with <Reject/>, recorded as rejected', async () => {
		const sid = newCallSid();
		const res = await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550123', '+14155550188'));
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(`${XML}<Response><Reject/></Response>`);
		expect(await callRow(sid)).toMatchObject({ outcome: 'rejected', rejectReason: 'number-not-routed' });
		const weird = await h.post(VOICE_PATHS.incoming, incoming(newCallSid(), '+12125550123', 'sip:desk@example.com'));
		expect(await weird.text()).toBe(`${XML}<Response><Reject/></Response>`);
	});
});

describe('when hot state fails', () => {
	/** The harness's services with a hot state whose first write of `fn` throws. */
	function failingOnce(fn: string): VoiceServices {
		let failed = false;
		const hot: HotState = {
			...h.hot,
			mutation: ((ref: Parameters<HotState['mutation']>[0], args: never, who: Identity) => {
				if (!failed && getFunctionName(ref) === fn) {
					failed = true;
					return Promise.reject(new Error('hot state is down'));
				}
				return h.hot.mutation(ref, args, who);
			}) as HotState['mutation']
		};
		return { ...h.services, hot };
	}
	function postWith(services: VoiceServices, pathname: string, params: Record<string, string>) {
		const { request, url } = signedRequest(h.adapters.telephony, { path: pathname, params, publicBaseUrl: PUBLIC_BASE_URL });
		return HANDLERS[pathname]!(services, request, url);
	}

	it('queues the caller (consent + Enqueue) instead of hanging up, and a job routes the call once hot state answers', async () => {
		await h.addQueue('+14155550177', 'flaky', ['flaky-skill']);
		const agent = await h.addAgent(['flaky-skill']);
		const sid = newCallSid();
		const res = await postWith(failingOnce('callLine:routeInbound'), VOICE_PATHS.incoming, incoming(sid, '+12125550177', '+14155550177'));
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(enqueueXml('flaky'));
		// The retry-hot-write job (the harness's worker, real hot state) offers the call; the hold loop then rings the agent.
		await vi.waitFor(async () => expect((await ringingFor(h.hot, agent))?.callSid).toBe(sid), { timeout: 15_000, interval: 100 });
		await vi.waitFor(async () => expect(await eventKinds(sid)).toContain('offered'), { timeout: 15_000, interval: 100 });
		const hold = await h.post(VOICE_PATHS.wait, { ...incoming(sid, '+12125550177', '+14155550177'), QueuePosition: '1', QueueTime: '3' });
		expect(await hold.text()).toBe(`${XML}<Response><Leave/></Response>`);
	});

	it('sends a caller the archive does not know (held by the failure TwiML) to voicemail after the default wait, not hold forever', async () => {
		const sid = newCallSid();
		const unknown = { ...incoming(sid, '+12125550179', '+14155550179'), QueuePosition: '1' };
		const early = await h.post(VOICE_PATHS.wait, { ...unknown, QueueTime: '60' });
		expect(await early.text()).toBe(`${XML}<Response><Say>You are next in line.</Say><Play>/audio/hold-music.wav</Play></Response>`);
		const late = await h.post(VOICE_PATHS.wait, { ...unknown, QueueTime: '300' });
		expect(await late.text()).toBe(`${XML}<Response><Leave/></Response>`);
	});

	it('ends the call in hot state from a job when completeCall failed, so the agent is not left busy', async () => {
		await h.addQueue('+14155550178', 'flaky-end', ['flaky-end-skill']);
		const sid = newCallSid();
		await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550178', '+14155550178'));
		expect((await waitingIn(h.hot, 'flaky-end')).map((w) => w.callSid)).toEqual([sid]);
		const res = await postWith(failingOnce('callWrapup:completeCall'), VOICE_PATHS.status, {
			...incoming(sid, '+12125550178', '+14155550178'),
			CallStatus: 'completed',
			SequenceNumber: '3',
			CallDuration: '30'
		});
		expect(res.status).toBe(204);
		await vi.waitFor(async () => expect(await waitingIn(h.hot, 'flaky-end')).toEqual([]), { timeout: 15_000, interval: 100 });
	});
});

describe('opening hours and seeding', () => {
	it('sends callers to voicemail outside opening hours, and seeding the demo queues twice adds nothing', async () => {
		await h.testDb.db.insert(voiceQueues).values({ number: '+14155550105', name: 'closed', requiredSkills: [], openingHours: { timezone: 'UTC', days: {} } });
		const sid = newCallSid();
		const res = await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550123', '+14155550105'));
		expect(await res.text()).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?><Response><Say>Sorry, nobody can take your call right now\. .*<Record /);
		expect((await callRow(sid))?.voicemailAt).toBeInstanceOf(Date);
		expect(await eventKinds(sid)).toEqual(['received', 'voicemail']);
		expect(await seedVoiceQueues(h.testDb.db)).toBe(0);
	});
});

describe('POST /webhooks/twilio/voice/dial-action', () => {
	it('moves an unanswered call to the next agent (first marked away), then to the queue; answered calls hang up', async () => {
		await h.addQueue('+14155550103', 'dialq', ['dialq'], 15);
		const first = await h.addAgent(['dialq']);
		const second = await h.addAgent(['dialq']);
		const sid = newCallSid();
		const res = await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550199', '+14155550103'));
		expect(await res.text()).toContain(`<Identity>${agentClientIdentity(first.subject)}</Identity>`);

		const dial = { ...incoming(sid, '+12125550199', '+14155550103'), DialCallStatus: 'no-answer', DialCallSid: newCallSid() };
		const next = await h.post(VOICE_PATHS.dialAction, dial);
		const nextXml = await next.text();
		expect(nextXml).toMatch(new RegExp(`^${XML.replace(/[?.]/g, '\\$&')}<Response><Dial answerOnBridge="true"[^>]* timeout="15"`));
		expect(nextXml).toContain(`<Identity>${agentClientIdentity(second.subject)}</Identity>`);
		const statuses = await h.hot.query(api.agentStatus.list, {}, WALLBOARD);
		expect(statuses.find((s) => s.userId === first.subject)?.status).toBe('away');
		expect(statuses.find((s) => s.userId === second.subject)?.status).toBe('ringing');

		// The same delivery again: no second miss, same answer.
		expect(await (await h.post(VOICE_PATHS.dialAction, dial)).text()).toBe(nextXml);

		const secondMiss = await h.post(VOICE_PATHS.dialAction, { ...dial, DialCallSid: newCallSid(), DialCallStatus: 'no-answer' });
		expect(await secondMiss.text()).toBe(enqueueXml('dialq', false));
		expect(await eventKinds(sid)).toEqual(['received', 'offered', 'missed', 'offered', 'missed', 'queued']);

		const done = await h.post(VOICE_PATHS.dialAction, { ...dial, DialCallSid: newCallSid(), DialCallStatus: 'completed' });
		expect(await done.text()).toBe(`${XML}<Response><Hangup/></Response>`);

		// The archive names who missed it, in order, for reports and the timeline.
		const row = await callRow(sid);
		const misses = await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, row?.id ?? '')).orderBy(callEvents.createdAt);
		expect(misses.filter((e) => e.kind === 'missed').map((e) => e.payload.agentId)).toEqual([first.subject, second.subject]);
		const details = await loadCallDetails(h.testDb.db, [row?.id ?? '']);
		expect(details.get(row?.id ?? '')?.missedBy).toEqual([first.name, second.name]);
	});

	it('moves a declined call (DialCallStatus busy) to the next agent at once, without a miss; the decliner goes to DECLINE_SETS_AGENT', async () => {
		await h.addQueue('+14155550106', 'declineq', ['declineq'], 15);
		const first = await h.addAgent(['declineq']);
		const second = await h.addAgent(['declineq']);
		const sid = newCallSid();
		expect(await (await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550177', '+14155550106'))).text()).toContain(`<Identity>${agentClientIdentity(first.subject)}</Identity>`);
		const dial = { ...incoming(sid, '+12125550177', '+14155550106'), DialCallStatus: 'busy', DialCallSid: newCallSid() };
		expect(await (await h.post(VOICE_PATHS.dialAction, dial)).text()).toContain(`<Identity>${agentClientIdentity(second.subject)}</Identity>`);
		const mine = (who: Identity) => h.hot.query(api.agentStatus.mine, {}, who);
		expect(await mine(first)).toMatchObject({ status: 'available', missedCalls: 0, lastMissed: null });
		expect(await mine(second)).toMatchObject({ status: 'ringing' });

		// With DECLINE_SETS_AGENT=away the decliner stops getting calls; still no miss. Nobody else: the caller queues.
		h.services.config = { ...h.config, declineSetsAgent: 'away' };
		try {
			expect(await (await h.post(VOICE_PATHS.dialAction, { ...dial, DialCallSid: newCallSid() })).text()).toBe(enqueueXml('declineq', false));
		} finally {
			h.services.config = h.config;
		}
		expect(await mine(second)).toMatchObject({ status: 'away', missedCalls: 0, lastMissed: null });
		expect(await eventKinds(sid)).toEqual(['received', 'offered', 'declined', 'offered', 'declined', 'queued']);
		const row = await callRow(sid);
		const declines = await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, row?.id ?? '')).orderBy(callEvents.createdAt);
		expect(declines.filter((e) => e.kind === 'declined').map((e) => e.payload.agentId)).toEqual([first.subject, second.subject]);
		expect((await loadCallDetails(h.testDb.db, [row?.id ?? ''])).get(row?.id ?? '')?.missedBy).toEqual([]);
	});
});

function permutations<T>(items: T[]): T[][] {
	if (items.length <= 1) return [items];
	return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('POST /webhooks/twilio/voice/status', () => {
	const rfc2822 = (d: Date) => d.toUTCString().replace('GMT', '+0000');

	it('leaves the same final call from all 24 orders of initiated/ringing/in-progress/completed, each delivered twice', async () => {
		const t0 = new Date('2026-11-24T09:00:00Z');
		const events: Record<string, string>[] = [
			{ CallStatus: 'initiated', SequenceNumber: '0', Timestamp: rfc2822(t0) },
			{ CallStatus: 'ringing', SequenceNumber: '1', Timestamp: rfc2822(new Date(t0.getTime() + 1000)) },
			{ CallStatus: 'in-progress', SequenceNumber: '2', Timestamp: rfc2822(new Date(t0.getTime() + 2000)) },
			{ CallStatus: 'completed', SequenceNumber: '3', Timestamp: rfc2822(new Date(t0.getTime() + 60_000)), CallDuration: '58' }
		];
		const orders = permutations(events);
		expect(orders).toHaveLength(24);
		const finals = [];
		for (const order of orders) {
			const sid = newCallSid();
			for (const e of [...order, ...order]) {
				const res = await h.post(VOICE_PATHS.status, { ...incoming(sid, '+12125550123', SALES_NUMBER), CallbackSource: 'call-progress-events', ...e });
				expect(res.status).toBe(204);
			}
			const row = await callRow(sid);
			finals.push(row);
			expect(row).toMatchObject({
				status: 'completed',
				statusRank: 3,
				outcome: 'abandoned',
				receivedAt: t0,
				ringingAt: new Date(t0.getTime() + 1000),
				endedAt: new Date(t0.getTime() + 60_000),
				waitSeconds: 60
			});
			expect((await eventKinds(sid)).sort()).toEqual(['status.completed', 'status.in-progress', 'status.initiated', 'status.ringing']);
		}
	});

	it('dedupes on the signed CallSid and SequenceNumber, never on the unsigned idempotency token', async () => {
		const sid = newCallSid();
		const ringing = { ...incoming(sid, '+12125550123', SALES_NUMBER), CallbackSource: 'call-progress-events', SequenceNumber: '1' };
		const deliveries = async () =>
			(await h.testDb.db.select().from(webhookDeliveries).where(like(webhookDeliveries.dedupeKey, `voice.status:${sid}:%`))).map((d) => d.dedupeKey);
		// The same signed params under two tokens (a forged header, or the fallback URL's fresh token): one delivery.
		expect((await h.post(VOICE_PATHS.status, ringing, { headers: { 'I-Twilio-Idempotency-Token': 'tok-a' } })).status).toBe(204);
		expect((await h.post(VOICE_PATHS.status, ringing, { headers: { 'I-Twilio-Idempotency-Token': 'tok-b' } })).status).toBe(204);
		expect(await deliveries()).toEqual([`voice.status:${sid}:1`]);
		expect(await eventKinds(sid)).toEqual(['status.ringing']);
		// Different signed params under one token: two deliveries, both applied.
		const answered = { ...ringing, CallStatus: 'in-progress', SequenceNumber: '2' };
		expect((await h.post(VOICE_PATHS.status, answered, { headers: { 'I-Twilio-Idempotency-Token': 'tok-a' } })).status).toBe(204);
		expect((await deliveries()).sort()).toEqual([`voice.status:${sid}:1`, `voice.status:${sid}:2`]);
		expect(await eventKinds(sid)).toEqual(['status.ringing', 'status.in-progress']);
	});

	it('records the agent leg (answered, talk time) whatever the order, and moves the agent to wrap-up when the caller hangs up', async () => {
		await h.addQueue('+14155550104', 'statusq', ['statusq']);
		const agent: Identity = await h.addAgent(['statusq']);
		const t0 = new Date('2026-11-24T10:00:00Z');
		const at = (s: number) => rfc2822(new Date(t0.getTime() + s * 1000));
		for (const [n, order] of permutations([0, 1, 2, 3]).entries()) {
			const sid = newCallSid();
			const agentLeg = newCallSid();
			await h.post(VOICE_PATHS.incoming, incoming(sid, '+12125550123', '+14155550104'));
			if (n === 0) await h.hot.mutation(api.callLine.acceptCall, { callSid: sid }, agent);
			const legEvents = [
				{ CallStatus: 'initiated', SequenceNumber: '0', Timestamp: at(1) },
				{ CallStatus: 'ringing', SequenceNumber: '1', Timestamp: at(2) },
				{ CallStatus: 'in-progress', SequenceNumber: '2', Timestamp: at(5) },
				{ CallStatus: 'completed', SequenceNumber: '3', Timestamp: at(65), CallDuration: '60' }
			];
			for (const i of order) {
				const e = legEvents[i] ?? {};
				await h.post(VOICE_PATHS.status, { ...incoming(agentLeg, '+12125550123', `client:agent_${agent.subject}`), ParentCallSid: sid, ...e });
			}
			const end = { ...incoming(sid, '+12125550123', '+14155550104'), CallStatus: 'completed', SequenceNumber: '1', Timestamp: at(66), CallDuration: '66' };
			await h.post(VOICE_PATHS.status, end);
			expect(await callRow(sid)).toMatchObject({ outcome: 'answered', agentId: agent.subject, agentCallSid: agentLeg, talkSeconds: 60, status: 'completed' });
			if (n === 0) {
				const me = (await h.hot.query(api.agentStatus.list, {}, WALLBOARD)).find((s) => s.userId === agent.subject);
				expect(me?.status).toBe('wrapup');
				await h.hot.mutation(api.callWrapup.finishWrapup, { callSid: sid, agentId: agent.subject }, SYSTEM_IDENTITY);
			}
		}
	});
});

describe('queue and voicemail webhooks', () => {
	it('announces the position while holding, then leaves at the maximum wait for voicemail; the call ends as voicemail', async () => {
		const sid = newCallSid();
		const base = incoming(sid, '+12125550155', '+14155550102');
		expect(await (await h.post(VOICE_PATHS.incoming, base)).text()).toBe(enqueueXml('nobody'));
		expect((await waitingIn(h.hot, 'nobody')).map((w) => w.callSid)).toContain(sid);

		const hold = await h.post(VOICE_PATHS.wait, { ...base, QueuePosition: '2', QueueTime: '30', CurrentQueueSize: '2' });
		expect(await hold.text()).toBe(`${XML}<Response><Say>You are caller number 2 in line.</Say><Play>/audio/hold-music.wav</Play></Response>`);
		const first = await h.post(VOICE_PATHS.wait, { ...base, QueuePosition: '1', QueueTime: '60' });
		expect(await first.text()).toBe(`${XML}<Response><Say>You are next in line.</Say><Play>/audio/hold-music.wav</Play></Response>`);
		expect(await (await h.post(VOICE_PATHS.wait, { ...base, QueuePosition: '1', QueueTime: '300' })).text()).toBe(`${XML}<Response><Leave/></Response>`);

		const exit = await h.post(VOICE_PATHS.enqueueAction, { ...base, QueueResult: 'leave', QueueTime: '301' });
		expect(await exit.text()).toBe(
			`${XML}<Response><Say>Sorry, nobody can take your call right now. Please leave a message after the tone.</Say><Record maxLength="120" playBeep="true" recordingStatusCallback="/webhooks/twilio/voice/recording" recordingStatusCallbackEvent="completed absent" action="/webhooks/twilio/voice/voicemail-done"/></Response>`
		);
		expect((await waitingIn(h.hot, 'nobody')).map((w) => w.callSid)).not.toContain(sid);

		const recordingSid = `RE${'c'.repeat(32)}`;
		const done = await h.post(VOICE_PATHS.voicemailDone, { ...base, RecordingSid: recordingSid, RecordingUrl: 'https://api.twilio.com/rec/RE1', RecordingDuration: '12' });
		expect(await done.text()).toBe(`${XML}<Response><Say>Thank you for your message. Goodbye.</Say><Hangup/></Response>`);
		const rec = { CallSid: sid, AccountSid: ACCOUNT_SID, RecordingSid: recordingSid, RecordingStatus: 'completed', RecordingUrl: 'https://api.twilio.com/rec/RE1', RecordingChannels: '1', RecordingSource: 'RecordVerb' };
		expect((await h.post(VOICE_PATHS.recording, rec)).status).toBe(204);
		const before = await h.counts();
		expect((await h.post(VOICE_PATHS.recording, rec)).status).toBe(204);
		expect(await h.counts()).toEqual(before);
		expect((await h.post(VOICE_PATHS.recording, { ...rec, RecordingSid: 'RE-nonsense' })).status).toBe(400);

		await h.post(VOICE_PATHS.status, { ...base, CallStatus: 'completed', SequenceNumber: '4', CallDuration: '330' });
		expect(await callRow(sid)).toMatchObject({ outcome: 'voicemail', status: 'completed', queue: 'nobody' });
		expect(await eventKinds(sid)).toEqual(['received', 'queued', 'voicemail', 'voicemail.recorded', 'recording.completed', 'status.completed']);
	});

	it('records a caller who hangs up in the queue as abandoned', async () => {
		const sid = newCallSid();
		const base = incoming(sid, '+12125550156', '+14155550102');
		await h.post(VOICE_PATHS.incoming, base);
		expect(await (await h.post(VOICE_PATHS.enqueueAction, { ...base, QueueResult: 'hangup', QueueTime: '40' })).text()).toBe(
			`${XML}<Response><Hangup/></Response>`
		);
		await h.post(VOICE_PATHS.status, { ...base, CallStatus: 'completed', SequenceNumber: '2', CallDuration: '41' });
		expect(await callRow(sid)).toMatchObject({ outcome: 'abandoned' });
	});
});
