import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '$lib/server/log';
import { CUSTOMER, SWITCHBOARD_NUMBER, startHarness, twiml, type Harness } from '$lib/server/adapters/telephony/carrier/test-switchboard';
import { applyDeviceAction, connectDevice, openDeviceChannel } from './device-channel';
import type { DeviceChannelEvent } from '$lib/softphone/protocol';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

const IDENTITY = 'agent_u1';
const dialAgent = twiml(
	`<Dial timeout="20" action="/voice/dial-done"><Client><Identity>${IDENTITY}</Identity><Parameter name="customerName" value="Ada Lovelace"/><Parameter name="company" value="Analytical Engines"/></Client></Dial>`
);

function channel(harness: Harness, identity = IDENTITY) {
	const events: DeviceChannelEvent[] = [];
	const close = openDeviceChannel(harness.engine, identity, (e) => events.push(e));
	const deviceId = (events.find((e) => e.type === 'registered') as { deviceId: string } | undefined)?.deviceId ?? '';
	return { events, close, deviceId, types: () => events.map((e) => e.type) };
}

describe('local softphone device channel', () => {
	it('carries the WebRTC signaling of a call with the customer phone page, and refuses it where nobody takes audio', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => dialAgent);
		h.routes.set('/voice/dial-done', () => twiml('<Hangup/>'));
		const c = channel(h);
		const phone = h.engine.phone(CUSTOMER);
		const atPhone: unknown[] = [];
		phone.on('media', (_sid, event) => atPhone.push(event));
		const customer = phone.call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		const callSid = (c.events.find((e) => e.type === 'incoming') as { callSid: string }).callSid;
		applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'accept' });
		await h.clock.advance(1000);
		expect(c.events).toContainEqual({ type: 'media', callSid, media: { kind: 'start', role: 'answer' } });
		const offer = { description: { type: 'offer' as const, sdp: 'v=0 offer' } };
		customer.sendMedia(offer);
		expect(c.events).toContainEqual({ type: 'media', callSid, media: { kind: 'signal', signal: offer } });
		const answer = { description: { type: 'answer' as const, sdp: 'v=0 answer' } };
		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'media', signal: answer })).toMatchObject({ ok: true });
		expect(atPhone).toContainEqual({ kind: 'signal', signal: answer });
		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'media' })).toMatchObject({ ok: false, status: 400 });
		customer.hangUp();
		await h.clock.advance(2000);
		expect(c.events).toContainEqual({ type: 'media', callSid, media: { kind: 'end' } });
		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'media', signal: answer })).toMatchObject({ ok: false, code: 'CALL_OVER' });

		// A caller whose phone no page watches: the call works, the audio link is refused with a reason.
		const other = h.engine.phone('+12125550999').call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		const second = (c.events.filter((e) => e.type === 'incoming').at(-1) as { callSid: string }).callSid;
		applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid: second, action: 'accept' });
		await h.clock.advance(1000);
		expect(other.status).toBe('in-progress');
		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid: second, action: 'media', signal: offer })).toMatchObject({ ok: false, status: 409, code: 'NO_MEDIA' });
		other.hangUp();
		await h.clock.advance(2000);
		c.close();
	});

	it('registers the agent, forwards an incoming call with its parameters, and applies accept, digits and hang-up', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => dialAgent);
		h.routes.set('/voice/dial-done', () => twiml('<Hangup/>'));
		const c = channel(h);
		expect(c.events[0]).toEqual({ type: 'registered', deviceId: c.deviceId, identity: IDENTITY });
		expect(h.engine.devices.get(IDENTITY)?.size).toBe(1);

		const customer = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		const incoming = c.events.find((e) => e.type === 'incoming');
		expect(incoming).toMatchObject({
			type: 'incoming',
			from: CUSTOMER,
			to: `client:${IDENTITY}`,
			customParameters: { customerName: 'Ada Lovelace', company: 'Analytical Engines' }
		});
		const callSid = (incoming as { callSid: string }).callSid;
		expect(callSid).toMatch(/^CA[0-9a-f]{32}$/);

		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'accept' })).toMatchObject({ ok: true });
		await h.clock.advance(1000);
		expect(c.types()).toContain('accept');
		expect(customer.status).toBe('in-progress');

		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'mute' })).toMatchObject({ ok: true, muted: true });
		expect(c.events).toContainEqual({ type: 'mute', callSid, muted: true });
		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'digits', digits: '12#' })).toMatchObject({ ok: true });

		applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'disconnect' });
		await h.clock.advance(2000);
		expect(c.types()).toContain('disconnect');
		expect(customer.status).toBe('completed');
		c.close();
	});

	it('declining sends busy to the dial action; the call is then over for further actions', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => dialAgent);
		h.routes.set('/voice/dial-done', () => twiml('<Say>Nobody is free.</Say><Hangup/>'));
		const c = channel(h);
		h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		const callSid = (c.events.find((e) => e.type === 'incoming') as { callSid: string }).callSid;
		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'reject' })).toMatchObject({ ok: true });
		await h.clock.advance(2000);
		expect(c.types()).toContain('reject');
		expect(h.hits('/voice/dial-done')[0]?.form().get('DialCallStatus')).toBe('busy');
		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'accept' })).toMatchObject({ ok: false, code: 'CALL_OVER' });
		c.close();
	});

	it("refuses another agent's device and unregisters on close", async () => {
		h = await startHarness();
		const c = channel(h);
		expect(applyDeviceAction('agent_mallory', { deviceId: c.deviceId, callSid: `CA${'0'.repeat(32)}`, action: 'accept' })).toMatchObject({
			ok: false,
			status: 404,
			code: 'NO_DEVICE'
		});
		c.close();
		expect(h.engine.devices.has(IDENTITY)).toBe(false);
		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid: `CA${'0'.repeat(32)}`, action: 'accept' })).toMatchObject({ code: 'NO_DEVICE' });
	});

	it('a caller ringing an agent whose tab closed keeps ringing until the dial times out (no-answer)', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => dialAgent);
		h.routes.set('/voice/dial-done', () => twiml('<Hangup/>'));
		const c = channel(h);
		h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		c.close();
		await h.clock.advance(25_000);
		expect(h.hits('/voice/dial-done')[0]?.form().get('DialCallStatus')).toBe('no-answer');
	});
});

describe('placing a call from the device channel', () => {
	it("announces the call as outgoing before its events, and refuses another agent's device or a second call", async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml('<Pause length="30"/>'));
		const c = channel(h);
		expect(connectDevice('agent_other', c.deviceId, { To: CUSTOMER })).toMatchObject({ ok: false, status: 404, code: 'NO_DEVICE' });
		const placed = connectDevice(IDENTITY, c.deviceId, { To: CUSTOMER, customerId: 'cus_1' });
		expect(placed).toMatchObject({ ok: true, from: `client:${IDENTITY}`, to: CUSTOMER, customParameters: { To: CUSTOMER, customerId: 'cus_1' } });
		const callSid = (placed as { callSid: string }).callSid;
		expect(c.events.at(-1)).toMatchObject({ type: 'outgoing', callSid });
		await h.clock.advance(1000);
		expect(c.types().slice(-2)).toEqual(['outgoing', 'accept']);
		expect(connectDevice(IDENTITY, c.deviceId, { To: CUSTOMER })).toMatchObject({ ok: false, status: 409, code: 'CALL_ACTIVE' });
		expect(applyDeviceAction(IDENTITY, { deviceId: c.deviceId, callSid, action: 'disconnect' })).toMatchObject({ ok: true });
		await h.clock.advance(1000);
		expect(c.types().at(-1)).toBe('disconnect');
		c.close();
	});
});
