/**
 * Outbound calls through the carrier as Twilio places them: a softphone's Device.connect reaches
 * the TwiML App's voice URL with a Client call's exact parameters, `<Dial callerId><Number>` rings
 * the customer's phone (answer, decline, busy line, no answer, answering machine) with status,
 * action and recording callbacks, and caller IDs the account does not own are refused.
 */
import twilio from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import { handleCarrierHttp } from './http';
import { ACCOUNT, CUSTOMER, SWITCHBOARD_NUMBER, TOKEN, startHarness, twiml, type Harness } from './test-switchboard';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

const AGENT = 'agent_u1';
const STATUS = '/voice/outbound/status';
const form = (path: string, n = 0) => Object.fromEntries(h.hits(path)[n]?.form() ?? []);

/** The TwiML an outbound route answers: ring the number asked for, from `callerId`, recorded in two channels. */
function dialAnswer(callerId = SWITCHBOARD_NUMBER, timeout = 20) {
	return (req: { form(): URLSearchParams }) =>
		twiml(
			`<Dial answerOnBridge="true" callerId="${callerId}" timeout="${timeout}" record="record-from-answer-dual" recordingStatusCallback="/voice/outbound/recording" action="/voice/outbound/dial-done">` +
				`<Number statusCallback="${STATUS}" statusCallbackEvent="initiated ringing answered completed">${req.form().get('To')}</Number></Dial>`
		);
}

function agentCalls(to: string, extra: Record<string, string> = {}) {
	const device = h.engine.device(AGENT);
	device.register();
	const call = device.connect({ params: { To: to, ...extra } });
	const events: string[] = [];
	for (const e of ['ringing', 'accept', 'disconnect', 'cancel'] as const) call.on(e, () => events.push(e));
	call.on('audio', (text) => events.push(`heard:${text}`));
	return { call, events };
}

function routes(voice = dialAnswer()) {
	h.routes.set('/webhooks/twilio/voice', voice);
	// An empty answer ends a call the Dial never connected without answering it (any verb but <Reject> would).
	h.routes.set('/voice/outbound/dial-done', () => twiml(''));
	for (const p of [STATUS, '/voice/outbound/recording']) h.routes.set(p, () => ({ status: 204 }));
}

describe('a softphone places a call through the TwiML App', () => {
	it("posts a Client call's exact parameters, signed, with the custom parameters as their own fields", async () => {
		h = await startHarness();
		routes(() => twiml('<Say>Hello</Say>'));
		const { call, events } = agentCalls(CUSTOMER, { customerId: 'cus_1', queue: 'sales' });
		expect(call.status()).toBe('connecting');
		await h.clock.advance(2000);
		const [req] = h.hits('/webhooks/twilio/voice');
		const params = Object.fromEntries(req!.form());
		expect(params).toEqual({
			AccountSid: ACCOUNT,
			ApiVersion: '2010-04-01',
			ApplicationSid: h.carrier.applicationSid,
			CallSid: call.sid,
			CallStatus: 'ringing',
			Called: '',
			Caller: `client:${AGENT}`,
			Direction: 'inbound',
			From: `client:${AGENT}`,
			To: CUSTOMER,
			customerId: 'cus_1',
			queue: 'sales'
		});
		expect(twilio.validateRequest(TOKEN, String(req!.headers['x-twilio-signature']), `${h.server.url}/webhooks/twilio/voice`, params)).toBe(true);
		// A plain <Say> answers the leg: accept, no ringing.
		expect(events).toEqual(['accept', 'heard:Hello', 'disconnect']);
		expect(h.carrier.fetchCall(call.sid)).toMatchObject({ status: 'completed', direction: 'inbound', from: `client:${AGENT}`, to: CUSTOMER });
	});

	it('sends To empty when connect has none, and keeps a custom parameter from replacing the carrier’s own', async () => {
		h = await startHarness();
		routes(() => twiml('<Hangup/>'));
		agentCalls('', { From: '+19995550000', CallSid: 'forged' });
		await h.clock.advance(1000);
		expect(form('/webhooks/twilio/voice')).toMatchObject({ To: '', Called: '', From: `client:${AGENT}`, CallSid: expect.stringMatching(/^CA[0-9a-f]{32}$/) });
	});

	it('rings the customer phone from the caller ID; answer bridges both with status, action and two-channel recording callbacks', async () => {
		h = await startHarness();
		routes();
		const phone = h.engine.phone(CUSTOMER);
		const { call, events } = agentCalls(CUSTOMER);
		await h.clock.advance(1000);
		expect(events).toEqual(['ringing']);
		const ringing = phone.calls.at(-1)!;
		expect(ringing).toMatchObject({ direction: 'incoming', from: SWITCHBOARD_NUMBER, to: CUSTOMER, status: 'ringing' });
		ringing.answer();
		await h.clock.advance(30_000);
		expect(events).toEqual(['ringing', 'accept']);
		call.disconnect();
		await h.clock.advance(2000);
		expect(events).toEqual(['ringing', 'accept', 'disconnect']);

		const statuses = h.hits(STATUS).map((r) => Object.fromEntries(r.form()));
		expect(statuses.map((p) => [p.CallStatus, p.SequenceNumber])).toEqual([
			['initiated', '0'],
			['ringing', '1'],
			['in-progress', '2'],
			['completed', '3']
		]);
		expect(statuses[3]).toMatchObject({
			CallSid: ringing.sid,
			ParentCallSid: call.sid,
			Direction: 'outbound-dial',
			From: SWITCHBOARD_NUMBER,
			To: CUSTOMER,
			CallbackSource: 'call-progress-events',
			CallDuration: '30'
		});
		expect(form('/voice/outbound/dial-done')).toMatchObject({ CallSid: call.sid, DialCallStatus: 'completed', DialCallSid: ringing.sid, DialCallDuration: '30', DialBridged: 'true' });
		expect(form('/voice/outbound/recording')).toMatchObject({ CallSid: call.sid, RecordingStatus: 'completed', RecordingChannels: '2', RecordingSource: 'DialVerb', RecordingDuration: '30' });
		expect(h.engine.liveCalls).toEqual([]);
	});

	it('tells the Dial action busy (declined, or a busy line that never rings), no-answer after the timeout', async () => {
		h = await startHarness();
		routes(dialAnswer(SWITCHBOARD_NUMBER, 10));
		const phone = h.engine.phone(CUSTOMER);
		phone.on('incoming', (c) => queueMicrotask(() => c.reject()));
		const declined = agentCalls(CUSTOMER);
		await h.clock.advance(2000);
		expect(form('/voice/outbound/dial-done', 0)).toMatchObject({ DialCallStatus: 'busy', DialBridged: 'false' });
		expect(declined.events).toEqual(['ringing', 'disconnect']);

		phone.removeAllListeners('incoming');
		phone.mode = 'busy';
		agentCalls(CUSTOMER);
		await h.clock.advance(2000);
		expect(form('/voice/outbound/dial-done', 1)).toMatchObject({ DialCallStatus: 'busy' });
		const busyLeg = [...h.carrier.calls.values()].filter((c) => c.direction === 'outbound-dial').at(-1)!;
		expect(phone.calls).toHaveLength(1);
		expect(h.hits(STATUS).filter((r) => r.form().get('CallSid') === busyLeg.sid).map((r) => r.form().get('CallStatus'))).toEqual(['initiated', 'busy']);

		phone.mode = 'ring';
		agentCalls(CUSTOMER);
		await h.clock.advance(12_000);
		expect(form('/voice/outbound/dial-done', 2)).toMatchObject({ DialCallStatus: 'no-answer' });
		expect(h.carrier.fetchCall(phone.calls.at(-1)!.sid).status).toBe('no-answer');
		expect(h.engine.liveCalls).toEqual([]);
	});

	it('lets an answering machine (set over the scenario API) pick up and play its greeting to the agent', async () => {
		h = await startHarness();
		routes();
		const phone = h.engine.phone(CUSTOMER);
		const setMode = (body: unknown) =>
			handleCarrierHttp(h.engine, new Request(`http://carrier/scenario/phones/${CUSTOMER}/mode`, { method: 'POST', body: JSON.stringify(body) }), `/scenario/phones/${CUSTOMER}/mode`);
		const refused = await setMode({ mode: 'fax' });
		expect(refused.status).toBe(400);
		expect(phone.mode).toBe('ring');
		const set = await setMode({ mode: 'voicemail', greeting: 'You reached Ada. Leave a message.', afterMs: 3000 });
		expect(await set.json()).toEqual({ number: CUSTOMER, mode: 'voicemail', greeting: 'You reached Ada. Leave a message.', afterMs: 3000 });
		const { call, events } = agentCalls(CUSTOMER);
		await h.clock.advance(phone.voicemailAfterMs + 1000);
		expect(events).toEqual(['ringing', 'accept', 'heard:You reached Ada. Leave a message.', 'heard:[beep]']);
		expect(phone.calls.at(-1)?.status).toBe('in-progress');
		call.disconnect();
		await h.clock.advance(1000);
		expect(form('/voice/outbound/dial-done')).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'true' });
	});

	it('refuses a caller ID the account does not own, as Twilio does (13214), and rings nobody', async () => {
		h = await startHarness();
		routes(dialAnswer('+19175550100'));
		const phone = h.engine.phone(CUSTOMER);
		const { events } = agentCalls(CUSTOMER);
		await h.clock.advance(2000);
		expect(form('/voice/outbound/dial-done')).toMatchObject({ DialCallStatus: 'failed', DialBridged: 'false' });
		expect(phone.calls).toEqual([]);
		expect(events).toEqual(['disconnect']);
		expect(h.engine.dispatcher.alerts).toContainEqual(expect.objectContaining({ level: 'error', code: 13214 }));

		// Without a callerId a softphone has no number to show.
		routes((req) => twiml(`<Dial action="/voice/outbound/dial-done"><Number>${req.form().get('To')}</Number></Dial>`));
		agentCalls(CUSTOMER);
		await h.clock.advance(2000);
		expect(form('/voice/outbound/dial-done', 1)).toMatchObject({ DialCallStatus: 'failed' });
		expect(phone.calls).toEqual([]);
		expect(h.carrier.calls.size).toBe(2);
	});
});

describe('REST Calls.create to a customer phone', () => {
	it('rings the phone page from an owned number and runs the TwiML on answer; an unowned From is refused with 21210', async () => {
		h = await startHarness();
		h.routes.set('/callback', () => twiml('<Say>This is your callback.</Say>'));
		const phone = h.engine.phone(CUSTOMER);
		expect(() => h.carrier.createCall({ from: '+19175550100', to: CUSTOMER, url: `${h.server.url}/callback` })).toThrow(expect.objectContaining({ vendorCode: 21210 }));
		expect(h.carrier.calls.size).toBe(0);
		const placed = h.carrier.createCall({ from: SWITCHBOARD_NUMBER, to: CUSTOMER, url: `${h.server.url}/callback` });
		await h.clock.advance(500);
		const ringing = phone.calls.at(-1)!;
		expect(ringing).toMatchObject({ sid: placed.sid, direction: 'incoming', from: SWITCHBOARD_NUMBER, status: 'ringing' });
		ringing.answer();
		await h.clock.advance(5000);
		expect(ringing.heard).toEqual(['This is your callback.']);
		expect(h.carrier.fetchCall(placed.sid)).toMatchObject({ status: 'completed', direction: 'outbound-api' });
		expect(form('/callback')).toMatchObject({ Direction: 'outbound-api', From: SWITCHBOARD_NUMBER, To: CUSTOMER, CallStatus: 'in-progress' });
	});
});
