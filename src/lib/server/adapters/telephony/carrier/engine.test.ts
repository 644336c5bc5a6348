import twilio from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import { handleTwilioRest } from './rest';
import type { RecordedRequest } from '../../test-http-server';
import type { DeviceCall } from './parties';
import { CUSTOMER, SWITCHBOARD_NUMBER, TOKEN, startHarness, twiml, type Harness } from './test-switchboard';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

function validSignature(req: RecordedRequest, base: string): boolean {
	return twilio.validateRequest(TOKEN, String(req.headers['x-twilio-signature']), `${base}${req.path}`, Object.fromEntries(req.form()));
}

function wavHeader(body: Uint8Array) {
	const b = Buffer.from(body);
	return { riff: b.toString('ascii', 0, 4), channels: b.readUInt16LE(22), rate: b.readUInt32LE(24), bits: b.readUInt16LE(34), dataBytes: b.readUInt32LE(40) };
}

describe('carrier engine scenarios', () => {
	it('enqueues a caller who hears QueuePosition updates, then bridges them with <Dial><Queue>', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Say>This call may be recorded.</Say><Enqueue waitUrl="/voice/wait" action="/voice/enqueue-done">support</Enqueue>'));
		h.routes.set('/voice/wait', (req) => twiml(`<Say>You are number ${req.form().get('QueuePosition')} in line.</Say><Pause length="5"/>`));
		h.routes.set('/voice/enqueue-done', () => twiml('<Hangup/>'));
		h.routes.set('/agent', () => twiml('<Dial action="/agent/dial-done"><Queue url="/voice/about-to-connect">support</Queue></Dial>'));
		h.routes.set('/voice/about-to-connect', () => twiml('<Say>Connecting you now.</Say>'));
		h.routes.set('/agent/dial-done', () => twiml('<Hangup/>'));

		const first = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		const second = h.engine.phone('+13035550188').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(20_000);
		expect(first.heard).toContain('You are number 1 in line.');
		expect(second.heard).toContain('You are number 2 in line.');
		const waits = h.hits('/voice/wait').map((r) => Object.fromEntries(r.form()));
		expect(waits[0]).toMatchObject({ QueuePosition: '1', CurrentQueueSize: '1', QueueTime: '0', MaxQueueSize: '100', AvgQueueTime: '0' });
		expect(waits.some((w) => w.QueueTime !== '0')).toBe(true);
		expect(waits.every((w) => /^QU[0-9a-f]{32}$/.test(w.QueueSid!))).toBe(true);

		// An agent's softphone leg dequeues the oldest caller.
		const agent = h.engine.device('agent_alice');
		agent.register();
		const agentCall = agent.connect({ params: { To: 'queue:support' } });
		const originalVoice = h.routes.get('/webhooks/twilio/voice')!;
		h.routes.set('/webhooks/twilio/voice', (req) => (req.form().get('From') === 'client:agent_alice' ? h.routes.get('/agent')!(req) : originalVoice(req)));
		await h.clock.advance(10_000);
		expect(first.heard).toContain('Connecting you now.');
		const aboutToConnect = Object.fromEntries(h.hits('/voice/about-to-connect')[0]!.form());
		expect(aboutToConnect).toMatchObject({ CallSid: first.sid, DequeingCallSid: agentCall.sid });
		// The second caller moves up.
		await h.clock.advance(15_000);
		expect(second.heard).toContain('You are number 1 in line.');

		agentCall.disconnect();
		await h.clock.advance(2000);
		const done = Object.fromEntries(h.hits('/voice/enqueue-done')[0]!.form());
		expect(done).toMatchObject({ QueueResult: 'bridged', CallSid: first.sid });
		const dialDone = Object.fromEntries(h.hits('/agent/dial-done')[0]!.form());
		expect(dialDone).toMatchObject({ DialCallStatus: 'completed', DialCallSid: first.sid });
		expect(Number(dialDone.DialCallDuration)).toBeGreaterThanOrEqual(10);
		second.hangUp();
		await h.clock.advance(1000);
		expect(Object.fromEntries(h.hits('/voice/enqueue-done')[1]!.form())).toMatchObject({ QueueResult: 'hangup' });
		expect(h.engine.liveCalls).toEqual([]);
		for (const req of h.server.requests) expect(validSignature(req, h.server.url)).toBe(true);
	});

	it('sends DialCallStatus=no-answer to the action URL when the client does not answer', async () => {
		h = await startHarness();
		h.routes.set(
			'/webhooks/twilio/voice',
			() =>
				twiml(
					'<Dial answerOnBridge="true" action="/voice/dial-status" timeout="20"><Client statusCallback="/voice/status" statusCallbackEvent="initiated ringing answered completed"><Identity>agent_alice</Identity><Parameter name="queue" value="sales"/></Client></Dial>'
				)
		);
		h.routes.set('/voice/dial-status', () => twiml('<Say>Nobody is free.</Say>'));
		h.routes.set('/voice/status', () => '');
		const device = h.engine.device('agent_alice');
		device.register();
		const rings: string[] = [];
		device.on('incoming', (call) => {
			rings.push(call.customParameters.get('queue') ?? '');
			call.on('cancel', () => rings.push('cancel'));
		});
		const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(19_000);
		expect(rings).toEqual(['sales']);
		expect(h.hits('/voice/dial-status')).toHaveLength(0);
		await h.clock.advance(2000);
		expect(rings).toEqual(['sales', 'cancel']);
		const action = Object.fromEntries(h.hits('/voice/dial-status')[0]!.form());
		expect(action).toMatchObject({ DialCallStatus: 'no-answer', CallSid: call.sid, DialBridged: 'false' });
		const statuses = h.hits('/voice/status').map((r) => r.form().get('CallStatus'));
		expect(statuses).toEqual(['initiated', 'ringing', 'no-answer']);
		const child = Object.fromEntries(h.hits('/voice/status')[0]!.form());
		expect(child).toMatchObject({ ParentCallSid: call.sid, Direction: 'outbound-dial', To: 'client:agent_alice', From: CUSTOMER, SequenceNumber: '0' });
		await h.clock.advance(5000);
		expect(call.heard).toContain('Nobody is free.');
		expect(call.status).toBe('completed');
	});

	it('bridges the first client to answer, passes custom parameters, and records both channels', async () => {
		h = await startHarness();
		h.routes.set(
			'/webhooks/twilio/voice',
			() =>
				twiml(
					'<Dial action="/voice/dial-status" timeout="20" record="record-from-answer-dual" recordingStatusCallback="/voice/recording"><Client><Identity>alice</Identity><Parameter name="customerId" value="42"/></Client><Client>bob</Client></Dial>'
				)
		);
		h.routes.set('/voice/dial-status', () => twiml('<Hangup/>'));
		h.routes.set('/voice/recording', () => '');
		const alice = h.engine.device('alice');
		const bob = h.engine.device('bob');
		alice.register();
		bob.register();
		const events: string[] = [];
		alice.on('incoming', (c) => {
			events.push(`alice:${c.customParameters.get('customerId')}:${c.parameters.From}`);
			c.on('cancel', () => events.push('alice:cancel'));
		});
		bob.on('incoming', (c) => {
			events.push('bob:ring');
			c.on('accept', () => events.push('bob:accept'));
			c.on('disconnect', () => events.push('bob:disconnect'));
			queueMicrotask(() => c.accept());
		});
		const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER, {
			script: [
				{ speaker: 'customer', text: 'Hello, my order has not arrived.' },
				{ speaker: 'agent', text: 'Sorry to hear that, let me check.' }
			]
		});
		await h.clock.advance(12_000);
		expect(events).toEqual([`alice:42:${CUSTOMER}`, 'bob:ring', 'alice:cancel', 'bob:accept']);
		call.hangUp();
		await h.clock.advance(1000);
		expect(events.at(-1)).toBe('bob:disconnect');
		const action = Object.fromEntries(h.hits('/voice/dial-status')[0]!.form());
		expect(action).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'true', CallStatus: 'completed' });
		expect(Number(action.DialCallDuration)).toBeGreaterThanOrEqual(11);
		const rec = Object.fromEntries(h.hits('/voice/recording')[0]!.form());
		expect(rec).toMatchObject({ RecordingStatus: 'completed', RecordingChannels: '2', RecordingSource: 'DialVerb', CallSid: call.sid });
		expect(rec.RecordingSid).toMatch(/^RE[0-9a-f]{32}$/);
		const auth = `Basic ${Buffer.from(`${h.carrier.accountSid}:${TOKEN}`).toString('base64')}`;
		const path = new URL(rec.RecordingUrl!).pathname.replace(/^\/carrier/, '');
		const res = handleTwilioRest(h.carrier, { method: 'GET', path, form: new URLSearchParams(), authorization: auth }, { authorize: (u, p) => h.carrier.checkCredentials(u, p) });
		expect(res.status).toBe(200);
		const header = wavHeader(res.body as Uint8Array);
		expect(header).toMatchObject({ riff: 'RIFF', channels: 2, rate: 8000, bits: 16 });
		expect(header.dataBytes).toBeGreaterThanOrEqual(11 * 8000 * 4);
		const denied = handleTwilioRest(h.carrier, { method: 'GET', path, form: new URLSearchParams(), authorization: undefined }, { authorize: (u, p) => h.carrier.checkCredentials(u, p) });
		expect(denied.status).toBe(401);
	});

	it('<Record> makes a file, a recording callback, a transcription and an action request', async () => {
		h = await startHarness();
		h.routes.set(
			'/webhooks/twilio/voice',
			() =>
				twiml(
					'<Say>Leave a message</Say><Record maxLength="120" playBeep="true" transcribe="true" transcribeCallback="/vm/transcription" recordingStatusCallback="/vm/recording" recordingStatusCallbackEvent="completed absent" action="/vm/done"/>'
				)
		);
		h.routes.set('/vm/done', () => twiml('<Say>Thanks</Say>'));
		h.routes.set('/vm/recording', () => '');
		h.routes.set('/vm/transcription', () => '');
		const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER, { script: [{ speaker: 'customer', text: 'Please call me back about my invoice.' }] });
		await h.clock.advance(30_000);
		expect(call.heard).toEqual(['Leave a message', '[beep]', 'Thanks']);
		const done = Object.fromEntries(h.hits('/vm/done')[0]!.form());
		expect(done.RecordingUrl).toMatch(/\/Recordings\/RE[0-9a-f]{32}$/);
		expect(Number(done.RecordingDuration)).toBeGreaterThan(0);
		const rec = Object.fromEntries(h.hits('/vm/recording')[0]!.form());
		expect(rec).toMatchObject({ RecordingStatus: 'completed', RecordingChannels: '1', RecordingSource: 'RecordVerb', RecordingUrl: done.RecordingUrl });
		const tr = Object.fromEntries(h.hits('/vm/transcription')[0]!.form());
		expect(tr).toMatchObject({ TranscriptionStatus: 'completed', TranscriptionText: 'Please call me back about my invoice.', RecordingSid: rec.RecordingSid });
		const media = h.carrier.fetchRecording(done.RecordingUrl!);
		expect(wavHeader(media.body)).toMatchObject({ riff: 'RIFF', channels: 1, rate: 8000 });
	});

	it('re-requests the document for a <Record> without action, and stops a runaway loop', async () => {
		h = await startHarness({ maxRecordLoops: 2 });
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Record maxLength="5" timeout="1"/>'));
		const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(60_000);
		const requests = h.hits('/webhooks/twilio/voice');
		expect(requests).toHaveLength(3);
		expect(requests[1]!.form().get('RecordingUrl')).toMatch(/Recordings\/RE/);
		expect(call.status).toBe('completed');
		expect(h.engine.dispatcher.alerts.map((a) => a.code)).toEqual([12100]);
	});

	it('collects digits with <Gather> and posts them to the action', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Gather numDigits="3" action="/menu" timeout="5"><Say>Enter your code</Say></Gather><Say>No input</Say>'));
		h.routes.set('/menu', (req) => twiml(`<Say>You said ${req.form().get('Digits')}</Say>`));
		const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(500);
		call.pressKeys('12');
		await h.clock.advance(1000);
		call.pressKeys('3');
		await h.clock.advance(5000);
		expect(call.heard).toEqual(['Enter your code', 'You said 123']);
		const silent = h.engine.phone('+13035550100').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(15_000);
		expect(silent.heard).toEqual(['Enter your code', 'No input']);
	});

	it('survives bad TwiML, unknown verbs and a 404 action, reporting Twilio codes', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', (req) => {
			const from = req.form().get('From');
			if (from === '+12125550001') return '<Response><Say>unclosed</Response>';
			if (from === '+12125550002') return twiml('<Dance/>');
			return twiml('<Gather numDigits="1" action="/missing"><Say>Press</Say></Gather>');
		});
		const a = h.engine.phone('+12125550001').call(SWITCHBOARD_NUMBER);
		const b = h.engine.phone('+12125550002').call(SWITCHBOARD_NUMBER);
		const c = h.engine.phone('+12125550003').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(500);
		c.pressKeys('1');
		await h.clock.advance(5000);
		expect([a.status, b.status, c.status]).toEqual(['completed', 'completed', 'completed']);
		const codes = h.engine.dispatcher.alerts.map((x) => x.code).sort();
		expect(codes).toEqual([11217, 12100, 12100]);
		expect(h.engine.dispatcher.alerts.find((x) => x.callSid === b.sid)?.message).toMatch(/Unknown verb <Dance>/);
		expect(h.engine.liveCalls).toEqual([]);
	});

	it('runs the fallback URL when the voice URL answers 500, and when its TwiML is invalid', async () => {
		h = await startHarness({ defaults: { voiceFallbackUrl: '/webhooks/twilio/voice/fallback' } });
		let broken = true;
		h.routes.set('/webhooks/twilio/voice', () => (broken ? { status: 500 } : '<Response><Nope/></Response>'));
		h.routes.set('/webhooks/twilio/voice/fallback', () => twiml('<Say>Sorry, try later.</Say>'));
		const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(5000);
		expect(call.heard).toEqual(['Sorry, try later.']);
		const fb = Object.fromEntries(h.hits('/webhooks/twilio/voice/fallback')[0]!.form());
		expect(fb).toMatchObject({ ErrorCode: '11217', ErrorUrl: `${h.server.url}/webhooks/twilio/voice`, CallSid: call.sid });
		broken = false;
		h.engine.phone('+13035550111').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(5000);
		expect(Object.fromEntries(h.hits('/webhooks/twilio/voice/fallback')[1]!.form())).toMatchObject({ ErrorCode: '12100' });
	});

	it('delivers a text to Switchboard signed, sends the TwiML reply back, and reports delivery statuses', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/sms', () => twiml('<Message>Got it, thanks!</Message>'));
		const phone = h.engine.phone(CUSTOMER);
		const sent = await phone.text(SWITCHBOARD_NUMBER, 'Where is my order?');
		expect(sent.webhook).toEqual({ ok: true, errorCode: null });
		const inbound = h.hits('/webhooks/twilio/sms')[0]!;
		expect(validSignature(inbound, h.server.url)).toBe(true);
		expect(Object.fromEntries(inbound.form())).toMatchObject({ Body: 'Where is my order?', From: CUSTOMER, To: SWITCHBOARD_NUMBER, NumMedia: '0', FromCity: 'NEW YORK' });
		await h.clock.advance(3000);
		const reply = phone.texts.find((t) => t.direction === 'received');
		expect(reply).toMatchObject({ body: 'Got it, thanks!', from: SWITCHBOARD_NUMBER, status: 'delivered' });
		expect(h.carrier.fetchMessage(reply!.sid).direction).toBe('outbound-reply');
	});

	it('rings a customer phone for an outbound API call and runs its TwiML once answered', async () => {
		h = await startHarness();
		h.routes.set('/outbound', () => twiml('<Say>Hello from Switchboard</Say>'));
		h.routes.set('/status', () => '');
		const phone = h.engine.phone(CUSTOMER);
		phone.on('incoming', (c) => queueMicrotask(() => c.answer()));
		const call = h.carrier.createCall({
			from: SWITCHBOARD_NUMBER,
			to: CUSTOMER,
			url: `${h.server.url}/outbound`,
			statusCallback: `${h.server.url}/status`,
			statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
			record: true
		});
		await h.clock.advance(5000);
		expect(phone.calls[0]!.heard).toEqual(['Hello from Switchboard']);
		const statuses = h.hits('/status').map((r) => Object.fromEntries(r.form()));
		expect(statuses.map((s) => s.CallStatus)).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
		expect(statuses.map((s) => s.SequenceNumber)).toEqual(['0', '1', '2', '3']);
		expect(statuses[3]).toMatchObject({ CallSid: call.sid, Direction: 'outbound-api', CallbackSource: 'call-progress-events' });
		expect(statuses[3]!.RecordingUrl).toMatch(/Recordings\/RE/);
		expect(statuses[3]!.Timestamp).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
	});

	it('redirects a live call with REST update and hangs up with status completed', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Enqueue>support</Enqueue>'));
		h.routes.set('/elsewhere', () => twiml('<Say>Moved</Say><Pause length="60"/>'));
		const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(2000);
		expect(h.engine.queues.get('support')?.entries).toHaveLength(1);
		h.carrier.updateCall(call.sid, { url: `${h.server.url}/elsewhere` });
		await h.clock.advance(2000);
		expect(call.heard).toContain('Moved');
		expect(h.engine.queues.get('support')?.entries).toHaveLength(0);
		h.carrier.updateCall(call.sid, { status: 'completed' });
		await h.clock.advance(100);
		expect(call.status).toBe('completed');
		expect(h.engine.liveCalls).toEqual([]);
	});

	it('dials numbers: a busy customer phone, then an unknown number that answers', async () => {
		h = await startHarness({ answerDelayMs: 1000 });
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Dial action="/first" callerId="+14155550100"><Number>+13035550100</Number></Dial>'));
		h.routes.set('/first', () => twiml('<Dial action="/second" timeout="10">+15125550100</Dial>'));
		h.routes.set('/second', () => twiml('<Hangup/>'));
		h.engine.phone('+13035550100').on('incoming', (c) => queueMicrotask(() => c.reject()));
		const call = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(5000);
		expect(Object.fromEntries(h.hits('/first')[0]!.form())).toMatchObject({ DialCallStatus: 'busy' });
		call.hangUp();
		await h.clock.advance(1000);
		const second = Object.fromEntries(h.hits('/second')[0]!.form());
		expect(second).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'true' });
		expect(h.carrier.fetchCall(second.DialCallSid!)).toMatchObject({ from: CUSTOMER, to: '+15125550100', direction: 'outbound-dial', parentCallSid: call.sid });
	});

	it('rejects without answering, redirects, and leaves a queue with <Leave>', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', (req) => {
			const from = req.form().get('From');
			if (from === '+12125550001') return twiml('<Reject reason="busy"/>');
			if (from === '+12125550002') return twiml('<Reject/>');
			return twiml('<Redirect method="GET">/queue</Redirect>');
		});
		h.routes.set('/queue', () => twiml('<Enqueue waitUrl="/wait" action="/after">sales</Enqueue><Say>not reached</Say>'));
		h.routes.set('/wait', () => twiml('<Say>Still busy</Say><Leave/>'));
		h.routes.set('/after', (req) => twiml(`<Say>Result ${req.form().get('QueueResult')}</Say>`));
		const busy = h.engine.phone('+12125550001').call(SWITCHBOARD_NUMBER);
		const rejected = h.engine.phone('+12125550002').call(SWITCHBOARD_NUMBER);
		const queued = h.engine.phone('+12125550003').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(10_000);
		expect([busy.status, rejected.status]).toEqual(['busy', 'no-answer']);
		expect(h.carrier.fetchCall(busy.sid).startTime).toBeNull();
		expect(h.hits('/queue')[0]!.method).toBe('GET');
		expect(queued.heard).toEqual(['Still busy', 'Result leave']);
		expect(queued.status).toBe('completed');
	});

	it('relays WebRTC signaling between the two browsers of a bridge, and only there', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Dial timeout="20"><Client>alice</Client></Dial>'));
		const alice = h.engine.device('alice');
		alice.register();
		const phone = h.engine.phone(CUSTOMER);
		const heard: { phone: unknown[]; agent: unknown[] } = { phone: [], agent: [] };
		// The phone page and the softphone channel listen for media; a party nobody watches gets none.
		phone.on('media', (_sid, event) => heard.phone.push(event));
		let agentCall: DeviceCall | null = null;
		alice.on('incoming', (c) => {
			agentCall = c;
			c.on('media', (event) => heard.agent.push(event));
			queueMicrotask(() => c.accept());
		});
		const call = phone.call(SWITCHBOARD_NUMBER);
		// Before the bridge nothing may be relayed.
		expect(call.sendMedia({ candidate: { candidate: 'candidate:early', sdpMid: '0', sdpMLineIndex: 0 } })).toBe(false);
		await h.clock.advance(3_000);
		expect(heard.phone).toEqual([{ kind: 'start', role: 'offer' }]);
		expect(heard.agent).toEqual([{ kind: 'start', role: 'answer' }]);
		const offer = { description: { type: 'offer' as const, sdp: 'v=0 offer' } };
		const answer = { description: { type: 'answer' as const, sdp: 'v=0 answer' } };
		expect(call.sendMedia(offer)).toBe(true);
		expect(agentCall!.sendMedia(answer)).toBe(true);
		expect(heard.agent.at(-1)).toEqual({ kind: 'signal', signal: offer });
		expect(heard.phone.at(-1)).toEqual({ kind: 'signal', signal: answer });
		call.hangUp();
		await h.clock.advance(1_000);
		expect(heard.phone.at(-1)).toEqual({ kind: 'end' });
		expect(heard.agent.at(-1)).toEqual({ kind: 'end' });
		expect(agentCall!.sendMedia(answer)).toBe(false);

		// A scripted caller with no page watching: the carrier speaks for it, and no audio link is offered.
		const scripted = h.engine.phone('+12125550999');
		const agentEvents: unknown[] = [];
		alice.removeAllListeners('incoming');
		alice.on('incoming', (c) => {
			c.on('media', (event) => agentEvents.push(event));
			queueMicrotask(() => c.accept());
		});
		const second = scripted.call(SWITCHBOARD_NUMBER, { script: [{ speaker: 'customer', text: 'Hello there.' }] });
		await h.clock.advance(3_000);
		expect(second.status).toBe('in-progress');
		expect(agentEvents).toEqual([]);
		expect(second.sendMedia(offer)).toBe(false);
		second.hangUp();
		await h.clock.advance(1_000);
	});

	it('registers softphones from tokens the carrier minted, and refuses forged ones', async () => {
		h = await startHarness();
		const { token } = h.carrier.mintClientToken({ identity: 'agent_bob', ttlSeconds: 600 });
		const device = h.engine.deviceFromToken(token);
		expect(device?.identity).toBe('agent_bob');
		const [head, body] = token.split('.');
		expect(h.engine.deviceFromToken(`${head}.${body}.AAAA`)).toBeNull();
		const registered: string[] = [];
		device!.on('registered', () => registered.push('registered'));
		device!.register();
		expect(registered).toEqual(['registered']);
		expect([...h.engine.devices.keys()]).toEqual(['agent_bob']);
		device!.unregister();
		expect(h.engine.devices.size).toBe(0);
	});

	it('honours STOP like Twilio: forwards it, replies itself, and refuses later sends with 21610', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/sms', () => twiml('<Message>Sorry to see you go</Message>'));
		const phone = h.engine.phone(CUSTOMER);
		await phone.text(SWITCHBOARD_NUMBER, ' stop ');
		await h.clock.advance(3000);
		expect(h.hits('/webhooks/twilio/sms')[0]!.form().get('Body')).toBe(' stop ');
		expect(phone.texts.filter((t) => t.direction === 'received').map((t) => t.body)).toEqual([expect.stringMatching(/successfully been unsubscribed/)]);
		expect(h.engine.dispatcher.alerts.map((a) => a.code)).toEqual([21610]);
		expect(() => h.carrier.sendMessage({ from: SWITCHBOARD_NUMBER, to: CUSTOMER, body: 'Deal!' })).toThrow(/unsubscribed/);
		await phone.text(SWITCHBOARD_NUMBER, 'START');
		expect(h.carrier.sendMessage({ from: SWITCHBOARD_NUMBER, to: CUSTOMER, body: 'Welcome back' }).status).toBe('queued');
	});
});
