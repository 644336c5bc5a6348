/** The browser's local device against the real device channel and a carrier on a virtual clock (no HTTP server in between). */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '$lib/server/log';
import { CUSTOMER, SWITCHBOARD_NUMBER, startHarness, twiml, type Harness } from '$lib/server/adapters/telephony/carrier/test-switchboard';
import { applyDeviceAction, connectDevice, openDeviceChannel } from '$lib/server/softphone/device-channel';
import type { SoftphoneCall } from '../device';
import type { SoftphoneActionRequest, SoftphoneConnectRequest } from '../protocol';
import { FakePeer, fakeMicrophone } from '$lib/media/test-peer';
import { LocalSoftphoneDevice, type LocalDeviceOptions } from './local';

let h: Harness;
beforeAll(() => setLogLevel('silent'));
afterEach(async () => {
	await h.close();
});

const IDENTITY = 'agent_u1';

function browserDevice(harness: Harness, media?: LocalDeviceOptions['media']) {
	const sources: { close(): void; drop(): void }[] = [];
	class FakeEventSource {
		readonly CLOSED = 2;
		readyState = 1;
		onmessage: ((event: MessageEvent<string>) => void) | null = null;
		onerror: ((event: Event) => void) | null = null;
		#close: () => void = () => {};
		constructor(url: string) {
			expect(url).toBe('/api/softphone/events');
			queueMicrotask(() => {
				this.#close = openDeviceChannel(harness.engine, IDENTITY, (e) => this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(e) })));
			});
			sources.push({ close: () => this.close(), drop: () => this.drop() });
		}
		close() {
			this.readyState = 2;
			this.#close();
		}
		/** The server went away; the browser will retry. */
		drop() {
			this.#close();
			this.readyState = 0;
			this.onerror?.(new Event('error'));
		}
	}
	const fetchImpl = ((_url: string, init: RequestInit) => {
		const body = JSON.parse(init.body as string) as SoftphoneActionRequest | SoftphoneConnectRequest;
		const outcome = body.action === 'connect' ? connectDevice(IDENTITY, body.deviceId, body.params) : applyDeviceAction(IDENTITY, body);
		return Promise.resolve(Response.json(outcome, { status: outcome.ok ? 200 : outcome.status }));
	}) as unknown as typeof fetch;
	const device = new LocalSoftphoneDevice({ EventSource: FakeEventSource as unknown as typeof EventSource, fetch: fetchImpl, ...(media ? { media } : {}) });
	return { device, sources };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('LocalSoftphoneDevice', () => {
	it("answers the customer phone's audio offer through the carrier and reports the link's state on the call", async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', () => twiml(`<Dial answerOnBridge="true"><Client>${IDENTITY}</Client></Dial>`));
		const peer = new FakePeer();
		const { device } = browserDevice(h, { createPeer: () => peer as unknown as RTCPeerConnection, getMicrophone: () => Promise.resolve(fakeMicrophone()), play: () => undefined });
		await device.register();
		await tick();
		const states: string[] = [];
		device.on('incoming', (call: SoftphoneCall) => {
			call.on('media', (state) => states.push(state));
			call.accept();
		});
		const phone = h.engine.phone(CUSTOMER);
		const atPhone: unknown[] = [];
		phone.on('media', (_sid, event) => atPhone.push(event));
		const customer = phone.call(SWITCHBOARD_NUMBER);
		await h.clock.advance(2000);
		await tick();
		expect(atPhone).toEqual([{ kind: 'start', role: 'offer' }]);
		expect(states).toEqual(['connecting']);
		customer.sendMedia({ description: { type: 'offer', sdp: 'offer-sdp' } });
		for (let i = 0; i < 5; i++) await tick();
		expect(peer.remoteDescription).toEqual({ type: 'offer', sdp: 'offer-sdp' });
		expect(atPhone.at(-1)).toEqual({ kind: 'signal', signal: { description: { type: 'answer', sdp: 'answer-sdp' } } });
		customer.hangUp();
		await h.clock.advance(1000);
		await tick();
		expect(states.at(-1)).toBe('ended');
		device.destroy();
	});

	it('registers, rings with the caller and custom parameters, accepts and hangs up like a Voice SDK device', async () => {
		h = await startHarness();
		h.routes.set(
			'/webhooks/twilio/voice',
			() => twiml(`<Dial action="/voice/dial-done"><Client><Identity>${IDENTITY}</Identity><Parameter name="customerName" value="Ada Lovelace"/></Client></Dial>`)
		);
		h.routes.set('/voice/dial-done', () => twiml('<Hangup/>'));
		const { device } = browserDevice(h);
		const seen: string[] = [];
		let ringing: SoftphoneCall | null = null;
		device.on('registered', () => seen.push('registered'));
		device.on('incoming', (call) => {
			ringing = call;
			for (const e of ['accept', 'disconnect', 'cancel'] as const) call.on(e, () => seen.push(e));
		});
		await device.register();
		await tick();
		expect(seen).toEqual(['registered']);

		const customer = h.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await h.clock.advance(1000);
		const call = ringing as SoftphoneCall | null;
		expect(call?.from).toBe(CUSTOMER);
		expect(call?.customParameters.get('customerName')).toBe('Ada Lovelace');

		call?.accept();
		await tick();
		await h.clock.advance(500);
		expect(seen).toContain('accept');
		expect(customer.status).toBe('in-progress');

		call?.mute(true);
		await tick();
		expect(call?.isMuted()).toBe(true);

		call?.disconnect();
		await tick();
		await h.clock.advance(1000);
		expect(seen).toContain('disconnect');
		device.destroy();
		expect(h.engine.devices.has(IDENTITY)).toBe(false);
	});

	it('places a call with connect: the TwiML App gets the custom parameters, the customer phone rings, answers, and both browsers get audio', async () => {
		h = await startHarness();
		h.routes.set('/webhooks/twilio/voice', (req) =>
			twiml(`<Dial answerOnBridge="true" callerId="${SWITCHBOARD_NUMBER}" action="/voice/dial-done"><Number>${req.form().get('To')}</Number></Dial>`)
		);
		h.routes.set('/voice/dial-done', () => twiml('<Hangup/>'));
		const peer = new FakePeer();
		const { device } = browserDevice(h, { createPeer: () => peer as unknown as RTCPeerConnection, getMicrophone: () => Promise.resolve(fakeMicrophone()), play: () => undefined });
		await expect(device.connect({ params: { To: CUSTOMER } })).rejects.toMatchObject({ code: 31005 });
		await device.register();
		await tick();
		const phone = h.engine.phone(CUSTOMER);
		const atPhone: unknown[] = [];
		phone.on('media', (_sid, event) => atPhone.push(event));
		const call = await device.connect({ params: { To: CUSTOMER, customerId: 'cus_1' } });
		const seen: string[] = [];
		for (const e of ['ringing', 'accept', 'disconnect'] as const) call.on(e, () => seen.push(e));
		expect(call).toMatchObject({ direction: 'OUTGOING', callSid: expect.stringMatching(/^CA[0-9a-f]{32}$/) });
		expect(call.status()).toBe('connecting');
		await expect(device.connect({ params: { To: CUSTOMER } })).rejects.toThrow(/already on a call/);
		await h.clock.advance(500);
		await tick();
		expect(seen).toEqual(['ringing']);
		expect(call.status()).toBe('ringing');
		expect(Object.fromEntries(h.hits('/webhooks/twilio/voice')[0]!.form())).toMatchObject({ To: CUSTOMER, customerId: 'cus_1', From: `client:${IDENTITY}` });

		phone.calls.at(-1)?.answer();
		await h.clock.advance(500);
		for (let i = 0; i < 5; i++) await tick();
		expect(seen).toEqual(['ringing', 'accept']);
		expect(call.status()).toBe('open');
		// The softphone's leg is the parent: it offers, the phone page answers.
		expect(atPhone).toEqual([
			{ kind: 'start', role: 'answer' },
			{ kind: 'signal', signal: { description: { type: 'offer', sdp: peer.localDescription?.sdp } } }
		]);
		expect(peer.localDescription?.type).toBe('offer');

		phone.calls.at(-1)?.hangUp();
		await h.clock.advance(1000);
		await tick();
		expect(seen).toEqual(['ringing', 'accept', 'disconnect']);
		expect(Object.fromEntries(h.hits('/voice/dial-done')[0]!.form())).toMatchObject({ DialCallStatus: 'completed', DialBridged: 'true' });
		device.destroy();
	});

	it('reports unregistered and ends its calls when the stream drops', async () => {
		h = await startHarness();
		const { device, sources } = browserDevice(h);
		const seen: string[] = [];
		device.on('registered', () => seen.push('registered'));
		device.on('unregistered', () => seen.push('unregistered'));
		await device.register();
		await tick();
		sources[0]?.drop();
		expect(seen).toEqual(['registered', 'unregistered']);
		expect(h.engine.devices.has(IDENTITY)).toBe(false);
		device.destroy();
	});
});
