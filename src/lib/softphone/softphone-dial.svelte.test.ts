import { afterEach, describe, expect, it, vi } from 'vitest';
import { SoftphoneError } from './device';
import { FakeCall, FakeDevice } from './fake-device';
import { Softphone } from './softphone.svelte';

const CUSTOMER = '+12125550123';
const SID = `CA${'4'.repeat(32)}`;

async function ready() {
	const device = new FakeDevice();
	const phone = new Softphone({
		fetch: (() => Promise.resolve(Response.json({ mode: 'local', token: 't', identity: 'agent_u1', expiresAt: new Date(Date.now() + 3600_000).toISOString() }))) as unknown as typeof fetch,
		createDevice: () => Promise.resolve(device),
		heartbeat: () => Promise.resolve(),
		heartbeatMs: 60_000,
		microphonePermission: () => Promise.resolve('granted'),
		mediaDevices: null
	});
	current = phone;
	await phone.start();
	await vi.waitFor(() => expect(phone.registration).toBe('ready'));
	return { phone, device };
}

function outgoing(callSid = SID): FakeCall {
	return new FakeCall(callSid, CUSTOMER, CUSTOMER, new Map([['To', CUSTOMER]]), 'OUTGOING');
}

let current: Softphone | null = null;
afterEach(() => current?.stop());

describe('Softphone: placing a call', () => {
	it('dials, rings, answers, hangs up and goes to wrap-up under the call’s own CallSid', async () => {
		const { phone, device } = await ready();
		const call = outgoing();
		let release: (c: FakeCall) => void = () => {};
		device.nextConnect = () => new Promise((resolve) => (release = resolve));
		const placing = phone.dial(CUSTOMER, { customerId: 'cus_1', customerName: 'Ada Lovelace' });
		expect(device.connects).toEqual([{ customerId: 'cus_1', customerName: 'Ada Lovelace', To: CUSTOMER }]);
		expect(phone.call).toMatchObject({ direction: 'outbound', phase: 'connecting', progress: 'dialling', from: CUSTOMER, callSid: '' });
		release(call);
		await placing;
		expect(phone.call?.callSid).toBe(SID);

		call.fire('ringing', true);
		expect(phone.call).toMatchObject({ phase: 'connecting', progress: 'ringing' });
		call.fire('accept');
		expect(phone.call).toMatchObject({ phase: 'active', progress: null, recording: 'on' });
		expect(phone.call?.startedAt).toBeTypeOf('number');
		phone.hangUp();
		expect(call.actions).toEqual(['disconnect']);
		call.fire('disconnect');
		expect(phone.call).toBeNull();
		expect(phone.dialResult).toBeNull();
		expect(phone.wrapUps).toMatchObject([{ callSid: SID, from: CUSTOMER, customerName: 'Ada Lovelace', state: 'wrapping' }]);
	});

	it('says busy, no answer or failed when the carrier reports it, and "ended" when nobody said why', async () => {
		const { phone, device } = await ready();
		for (const [status, text] of [
			['busy', 'The line is busy.'],
			['no-answer', 'No answer.'],
			['failed', 'The call could not be connected. Dial: Invalid callerId value']
		] as const) {
			const call = outgoing();
			device.nextConnect = () => Promise.resolve(call);
			await phone.dial(CUSTOMER);
			call.fire('ringing', false);
			// The server's report may come before or after the softphone's leg ends.
			if (status === 'busy') {
				phone.reportDialOutcome(SID, status);
				call.fire('disconnect');
			} else {
				call.fire('disconnect');
				phone.reportDialOutcome(SID, status, status === 'failed' ? 'Dial: Invalid callerId value' : undefined);
			}
			expect(phone.call).toBeNull();
			expect(phone.dialResult).toEqual({ to: CUSTOMER, callSid: SID, status, message: text });
		}
		const silent = outgoing();
		device.nextConnect = () => Promise.resolve(silent);
		await phone.dial(CUSTOMER);
		expect(phone.dialResult).toBeNull();
		silent.fire('disconnect');
		expect(phone.dialResult).toMatchObject({ status: 'ended', message: 'The call ended before it was answered.' });
		expect(phone.wrapUps).toEqual([]);
	});

	it('shows the agent hanging up while it rings as canceled', async () => {
		const { phone, device } = await ready();
		const call = outgoing();
		device.nextConnect = () => Promise.resolve(call);
		await phone.dial(CUSTOMER);
		call.fire('ringing', true);
		phone.hangUp();
		call.fire('disconnect');
		expect(phone.dialResult).toMatchObject({ status: 'canceled', message: 'You hung up before they answered.' });
	});

	it('picks up events that came before connect resolved (the call was already answered)', async () => {
		const { phone, device } = await ready();
		const call = outgoing();
		call.state = 'open';
		device.nextConnect = () => Promise.resolve(call);
		await phone.dial(CUSTOMER);
		expect(phone.call).toMatchObject({ phase: 'active', callSid: SID });
	});

	it('refuses a second dial while on a call, and reports a refused connect with its reason', async () => {
		const { phone, device } = await ready();
		device.nextConnect = () => Promise.reject(new SoftphoneError(31000, 'This softphone is already on a call; hang up first.'));
		expect(await phone.dial(CUSTOMER)).toBeNull();
		expect(phone.call).toBeNull();
		expect(phone.dialResult).toMatchObject({ status: 'failed', callSid: null, message: 'The call could not be connected. This softphone is already on a call; hang up first.' });

		const call = outgoing();
		device.nextConnect = () => Promise.resolve(call);
		await phone.dial(CUSTOMER);
		expect(await phone.dial('+13035550100')).toBeNull();
		expect(phone.error).toMatch(/already on a call/);
		expect(device.connects).toHaveLength(2);
		// An incoming offer while dialling goes back to routing.
		const ring = new FakeCall(`CA${'5'.repeat(32)}`);
		device.fire('incoming', ring);
		expect(ring.actions).toEqual(['reject']);
		expect(phone.call?.callSid).toBe(SID);
	});

	it('does not dial before the softphone is ready', async () => {
		const phone = new Softphone({ heartbeat: () => Promise.resolve() });
		expect(await phone.dial(CUSTOMER)).toBeNull();
		expect(phone.dialResult).toMatchObject({ status: 'failed', message: expect.stringMatching(/not ready/) });
	});
});

describe('requestDial: a Call button elsewhere on the page', () => {
	it('reaches the running softphone, and says false when none runs', async () => {
		const { requestDial } = await import('./dial-request');
		const target = new EventTarget();
		vi.stubGlobal('window', target);
		try {
			expect(await requestDial(CUSTOMER)).toBe(false);
			const { phone, device } = await ready();
			device.nextConnect = () => Promise.resolve(outgoing());
			expect(await requestDial(CUSTOMER, { customerId: 'cus_1' })).toBe(true);
			expect(device.connects).toEqual([{ customerId: 'cus_1', To: CUSTOMER }]);
			expect(await requestDial(CUSTOMER)).toBe(false);
			phone.stop();
			expect(await requestDial(CUSTOMER)).toBe(false);
		} finally {
			vi.unstubAllGlobals();
		}
	});
});
