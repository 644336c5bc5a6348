import { afterEach, describe, expect, it, vi } from 'vitest';
import { SoftphoneError } from './device';
import { FakeCall, FakeDevice } from './fake-device';
import { formatDuration, Softphone, type Registration, type SoftphoneOptions } from './softphone.svelte';

function setup(
	mode: 'local' | 'twilio' = 'local',
	claim: (callSid: string) => Promise<unknown> = () => Promise.resolve(),
	setRecording: (callSid: string, paused: boolean) => Promise<{ recording: 'on' | 'paused' }> = (_c, paused) => Promise.resolve({ recording: paused ? 'paused' : 'on' }),
	extra: SoftphoneOptions = {}
) {
	const device = new FakeDevice();
	const beats: Registration[] = [];
	let n = 0;
	const fetchImpl = vi.fn(() =>
		Promise.resolve(Response.json({ mode, token: `token-${++n}`, identity: 'agent_u1', expiresAt: new Date(Date.now() + 3600_000).toISOString() }))
	);
	const phone = new Softphone({
		fetch: fetchImpl as unknown as typeof fetch,
		createDevice: () => Promise.resolve(device),
		heartbeat: (state) => Promise.resolve(void beats.push(state)),
		heartbeatMs: 60_000,
		claim,
		setRecording,
		...extra
	});
	return { phone, device, beats, fetchImpl };
}

const flush = () => new Promise((r) => setTimeout(r, 0));
let current: Softphone | null = null;
afterEach(() => current?.stop());

describe('Softphone state', () => {
	it('shows a routed call as recorded once connected, and pauses and resumes it through the server', async () => {
		const asked: [string, boolean][] = [];
		let refuse = false;
		const { phone, device } = setup('local', undefined, (callSid, paused) => {
			asked.push([callSid, paused]);
			return refuse ? Promise.reject(new Error('Only the agent on this call can pause its recording.')) : Promise.resolve({ recording: paused ? 'paused' : 'on' });
		});
		current = phone;
		await phone.start();
		const parent = `CA${'9'.repeat(32)}`;
		const call = new FakeCall(`CA${'2'.repeat(32)}`, '+12125550123', 'client:agent_u1', new Map([['callSid', parent]]));
		device.fire('incoming', call);
		expect(phone.call?.recording).toBeNull();
		await phone.accept();
		call.fire('accept');
		expect(phone.call?.recording).toBe('on');
		await phone.toggleRecording();
		expect(phone.call?.recording).toBe('paused');
		await phone.toggleRecording();
		expect(phone.call?.recording).toBe('on');
		expect(asked).toEqual([
			[parent, true],
			[parent, false]
		]);
		refuse = true;
		await phone.toggleRecording();
		expect(phone.call?.recording).toBe('on');
		expect(phone.error).toMatch(/Only the agent/);
	});

	it('registers, reports each registration change to the heartbeat, and refreshes the token before it expires', async () => {
		const { phone, device, beats, fetchImpl } = setup();
		current = phone;
		await phone.start();
		await flush();
		expect(phone.registration).toBe('ready');
		expect(beats).toEqual(['registering', 'ready']);

		device.fire('tokenWillExpire');
		await flush();
		expect(fetchImpl).toHaveBeenCalledTimes(2);
		expect(device.tokens).toEqual(['token-2']);

		device.fire('unregistered');
		expect(phone.registration).toBe('registering');
		expect(beats.at(-1)).toBe('registering');
	});

	it('rings, accepts, times, mutes, sends digits and clears on disconnect', async () => {
		const { phone, device } = setup();
		current = phone;
		await phone.start();
		const call = new FakeCall(`CA${'1'.repeat(32)}`);
		device.fire('incoming', call);
		expect(phone.call).toMatchObject({ phase: 'ringing', from: '+12125550123', customParameters: { customerName: 'Ada Lovelace' } });

		void phone.accept();
		expect(call.actions).toEqual(['accept']);
		expect(phone.call?.phase).toBe('connecting');
		call.fire('accept');
		expect(phone.call?.phase).toBe('active');
		expect(phone.call?.startedAt).toBeTypeOf('number');

		phone.toggleMute();
		call.fire('mute', true);
		expect(phone.call?.muted).toBe(true);
		phone.sendDigits('5');
		expect(phone.call?.digits).toBe('5');
		phone.hangUp();
		expect(call.actions).toEqual(['accept', 'mute', 'digits:5', 'disconnect']);
		call.fire('disconnect');
		expect(phone.call).toBeNull();
	});

	it('claims the caller in hot state before answering, and gives the ring up when another agent won it', async () => {
		const claimed: string[] = [];
		let winner = true;
		const claim = (callSid: string) => {
			claimed.push(callSid);
			return winner ? Promise.resolve() : Promise.reject(new Error('Another agent has taken this call.'));
		};
		const { phone, device } = setup('local', claim);
		current = phone;
		await phone.start();
		const parent = `CA${'a'.repeat(32)}`;
		const first = new FakeCall(`CA${'2'.repeat(32)}`, '+12125550123', 'client:agent_u1', new Map([['callSid', parent]]));
		device.fire('incoming', first);
		await phone.accept();
		expect(claimed).toEqual([parent]);
		expect(first.actions).toEqual(['accept']);
		first.fire('disconnect');

		winner = false;
		const second = new FakeCall(`CA${'3'.repeat(32)}`, '+12125550123', 'client:agent_u1', new Map([['callSid', parent]]));
		device.fire('incoming', second);
		await phone.accept();
		expect(second.actions).toEqual(['reject']);
		expect(phone.call).toBeNull();
		expect(phone.error).toBe('Another agent has taken this call.');
	});

	it('declines a ring, drops a canceled ring, and turns away a second call while busy', async () => {
		const { phone, device } = setup();
		current = phone;
		await phone.start();
		const first = new FakeCall(`CA${'1'.repeat(32)}`);
		device.fire('incoming', first);
		phone.reject();
		expect(first.actions).toEqual(['reject']);
		expect(phone.call).toBeNull();

		const second = new FakeCall(`CA${'2'.repeat(32)}`);
		device.fire('incoming', second);
		const third = new FakeCall(`CA${'3'.repeat(32)}`);
		device.fire('incoming', third);
		expect(third.actions).toEqual(['reject']);
		expect(phone.call?.callSid).toBe(second.callSid);
		second.fire('cancel');
		expect(phone.call).toBeNull();
	});

	it('reports a microphone the browser denies (Voice SDK error 31401) as no-microphone', async () => {
		const { phone, device, beats } = setup('twilio');
		current = phone;
		await phone.start();
		await flush();
		device.fire('error', new SoftphoneError(31401, 'Permission denied'));
		expect(phone.registration).toBe('no-microphone');
		expect(phone.error).toMatch(/Microphone access is blocked/);
		expect(beats.at(-1)).toBe('no-microphone');
	});

	it('after a failed token refresh reports not-ready, retries with backoff, then updates the token and registers again', async () => {
		const { phone, device, beats, fetchImpl } = setup('twilio', undefined, undefined, { tokenRetryDelaysMs: [0] });
		current = phone;
		const registers = vi.spyOn(device, 'register');
		await phone.start();
		await flush();
		expect(phone.registration).toBe('ready');

		fetchImpl.mockImplementationOnce(() => Promise.reject(new Error('offline')));
		fetchImpl.mockImplementationOnce(() => Promise.reject(new Error('offline')));
		device.fire('tokenWillExpire');
		await flush();
		// Without this, routing would keep offering calls to a device that can no longer register.
		expect(phone.registration).not.toBe('ready');
		expect(beats).toContain('error');
		expect(phone.error).toMatch(/could not renew/);

		await vi.waitFor(() => expect(device.tokens).toEqual(['token-2']));
		await vi.waitFor(() => expect(phone.registration).toBe('ready'));
		expect(fetchImpl).toHaveBeenCalledTimes(4);
		expect(registers).toHaveBeenCalledTimes(2);
		expect(beats.at(-1)).toBe('ready');
		expect(phone.error).toBeNull();
	});

	it('treats an expired token reported by the device (20104) as not ready until a new token registers it again', async () => {
		const { phone, device, beats } = setup('twilio');
		current = phone;
		const registers = vi.spyOn(device, 'register');
		await phone.start();
		await flush();
		device.fire('error', new SoftphoneError(20104, 'Access token expired'));
		expect(phone.registration).toBe('error');
		expect(beats.at(-1)).toBe('error');
		await vi.waitFor(() => expect(registers).toHaveBeenCalledTimes(2));
		expect(device.tokens).toEqual(['token-2']);
		await vi.waitFor(() => expect(phone.registration).toBe('ready'));
	});

	it('reports microphone errors that arrive on the Call (31401 denied, 31402 missing) as no-microphone', async () => {
		const { phone, device, beats } = setup('twilio');
		current = phone;
		await phone.start();
		await flush();
		const call = new FakeCall(`CA${'4'.repeat(32)}`);
		device.fire('incoming', call);
		call.fire('error', new SoftphoneError(31402, 'No input device'));
		expect(phone.registration).toBe('no-microphone');
		expect(phone.error).toMatch(/No microphone was found/);
		expect(beats.at(-1)).toBe('no-microphone');
		call.fire('error', new SoftphoneError(31401, 'Permission denied'));
		expect(phone.error).toMatch(/Microphone access is blocked/);
	});

	it('starts again when a microphone is plugged in after 31402', async () => {
		const media = new EventTarget();
		const { phone, device } = setup('twilio', undefined, undefined, { mediaDevices: media });
		current = phone;
		await phone.start();
		await flush();
		const register = vi.spyOn(device, 'register');
		device.fire('error', new SoftphoneError(31402, 'No input device'));
		expect(phone.registration).toBe('no-microphone');
		media.dispatchEvent(new Event('devicechange'));
		await vi.waitFor(() => expect(phone.registration).toBe('ready'));
		expect(register).toHaveBeenCalledTimes(1);
		expect(phone.error).toBeNull();
	});

	it('uses the microphone and speaker chosen in Settings before registering', async () => {
		const { phone, device } = setup('twilio', undefined, undefined, { audioChoice: () => ({ inputId: 'mic-2', outputId: 'speaker-1' }) });
		current = phone;
		const order: string[] = [];
		const setAudioDevices = vi.fn((choice: { inputId: string | null; outputId: string | null }) => Promise.resolve(void order.push(`audio:${choice.inputId}`)));
		Object.assign(device, { setAudioDevices });
		const register = device.register;
		device.register = () => {
			order.push('register');
			return register();
		};
		await phone.start();
		expect(setAudioDevices).toHaveBeenCalledWith({ inputId: 'mic-2', outputId: 'speaker-1' });
		expect(order).toEqual(['audio:mic-2', 'register']);
	});

	it('checks the microphone permission before registering, and does not register while it is denied', async () => {
		const beats: Registration[] = [];
		let created = 0;
		const phone = new Softphone({
			fetch: (() => Promise.reject(new Error('no token wanted'))) as unknown as typeof fetch,
			createDevice: () => {
				created += 1;
				return Promise.resolve(new FakeDevice());
			},
			heartbeat: (state) => Promise.resolve(void beats.push(state)),
			heartbeatMs: 60_000,
			microphonePermission: () => Promise.resolve('denied')
		});
		current = phone;
		await phone.start();
		expect(phone.registration).toBe('no-microphone');
		expect(beats).toEqual(['registering', 'no-microphone']);
		expect(created).toBe(0);
	});

	it('reports an error when no token can be had', async () => {
		const phone = new Softphone({
			fetch: (() => Promise.resolve(new Response('{}', { status: 401 }))) as unknown as typeof fetch,
			heartbeat: () => Promise.resolve(null)
		});
		current = phone;
		await phone.start();
		expect(phone.registration).toBe('error');
		expect(phone.error).toMatch(/HTTP 401/);
	});
});

describe('wrap-up', () => {
	const parentOf = (n: string) => `CA${n.repeat(32)}`;

	/** A softphone whose answered call from `caller` just ended; Ready now goes to `readyNow`. */
	async function endedCall(readyNow: (callSid: string) => Promise<unknown> = () => Promise.resolve(), n = '7', name = 'Ada Lovelace') {
		const device = new FakeDevice();
		const phone = new Softphone({
			fetch: (() => Promise.resolve(Response.json({ mode: 'local', token: 't', identity: 'agent_u1', expiresAt: new Date(Date.now() + 3600_000).toISOString() }))) as unknown as typeof fetch,
			createDevice: () => Promise.resolve(device),
			heartbeat: () => Promise.resolve(null),
			heartbeatMs: 60_000,
			claim: () => Promise.resolve(),
			readyNow
		});
		current = phone;
		await phone.start();
		const hangUp = async (digit: string, customerName: string) => {
			const call = new FakeCall(`CA${'1'.repeat(31)}${digit}`, '+12125550123', 'client:agent_u1', new Map([['callSid', parentOf(digit)], ['customerName', customerName]]));
			device.fire('incoming', call);
			await phone.accept();
			call.fire('accept');
			call.fire('disconnect');
		};
		await hangUp(n, name);
		return { phone, hangUp };
	}
	const live = (n: string, wrapupEndsAt: number | null, customerName: string | null = 'Ada Lovelace') => ({ callSid: parentOf(n), from: '+12125550123', customerName, wrapupEndsAt });

	it('counts down to the end of the wrap-up time that hot state gives', async () => {
		const { phone } = await endedCall();
		expect(phone.wrapUp).toMatchObject({ callSid: parentOf('7'), customerName: 'Ada Lovelace', state: 'wrapping', endsAt: null });
		// Until hot state says when it ends, there is nothing to count.
		expect(phone.wrapUpSecondsLeft).toBeNull();
		const endsAt = Date.now() + 60_000;
		phone.syncWrapUps([live('7', endsAt)]);
		phone.now = endsAt - 42_000;
		expect(phone.wrapUpSecondsLeft).toBe(42);
		phone.now = endsAt - 500;
		expect(phone.wrapUpSecondsLeft).toBe(1);
		phone.now = endsAt + 3_000;
		// The time is up but hot state has not let the call go yet: zero, still wrapping.
		expect(phone.wrapUpSecondsLeft).toBe(0);
		expect(phone.wrapUp?.state).toBe('wrapping');
	});

	it('says the agent is available again when the wrap-up time ran out, and keeps the form with what was typed', async () => {
		const { phone } = await endedCall();
		phone.syncWrapUps([live('7', Date.now() + 60_000)]);
		const form = phone.wrapUp;
		if (!form) throw new Error('no wrap-up');
		form.disposition = 'Resolved';
		form.notes = 'Refund sent';
		phone.syncWrapUps([]);
		expect(phone.wrapUp).toMatchObject({ state: 'ready', readyBy: 'timeout', disposition: 'Resolved', notes: 'Refund sent' });
		expect(phone.wrapUpSecondsLeft).toBeNull();
		phone.finishWrapUp(parentOf('7'));
		expect(phone.wrapUp).toBeNull();
	});

	it('a transfer took me off the call: the form my leg opened becomes my hand-off wrap-up, whichever arrives first', async () => {
		const handoff = `CA${'e'.repeat(32)}`;
		const { phone } = await endedCall();
		phone.wrapUp!.disposition = 'Transferred';
		phone.syncWrapUps([{ ...live('e', Date.now() + 60_000), callSid: handoff, handoffOf: parentOf('7') }]);
		expect(phone.wrapUps).toHaveLength(1);
		expect(phone.wrapUp).toMatchObject({ callSid: handoff, handoffOf: parentOf('7'), disposition: 'Transferred', state: 'wrapping' });
		// Hot state first, the leg's end after: still one form, the hand-off's.
		const { phone: other, hangUp } = await endedCall(undefined, '8');
		other.syncWrapUps([live('8', Date.now() + 60_000), { ...live('e', Date.now() + 60_000), callSid: handoff, handoffOf: parentOf('9') }]);
		await hangUp('9', 'Ada Lovelace');
		expect(other.wrapUps.map((w) => w.callSid)).toEqual([parentOf('8'), handoff]);
	});

	it('does not take a call that hot state never listed for ready', async () => {
		const { phone } = await endedCall();
		// The live list had not caught up yet: an empty list is not "the time ran out".
		phone.syncWrapUps([]);
		expect(phone.wrapUp?.state).toBe('wrapping');
	});

	it('Ready now asks the server, then shows the agent available with the form still open', async () => {
		const asked: string[] = [];
		const { phone } = await endedCall((sid) => Promise.resolve(void asked.push(sid)));
		phone.syncWrapUps([live('7', Date.now() + 60_000)]);
		await phone.readyNow();
		expect(asked).toEqual([parentOf('7')]);
		expect(phone.wrapUp).toMatchObject({ state: 'ready', readyBy: 'agent' });
		// Hot state then lets the call go: it stays "ready by the agent", not "time ran out".
		phone.syncWrapUps([]);
		expect(phone.wrapUp?.readyBy).toBe('agent');
		await phone.readyNow();
		expect(asked).toHaveLength(1);
	});

	it('keeps counting and shows the error when Ready now is refused', async () => {
		const { phone } = await endedCall(() => Promise.reject(new Error('Only the agent who took this call can end its wrap-up.')));
		phone.syncWrapUps([live('7', Date.now() + 60_000)]);
		await phone.readyNow();
		expect(phone.wrapUp?.state).toBe('wrapping');
		expect(phone.error).toMatch(/Only the agent/);
		expect(phone.readyBusy).toBe(false);
	});

	it('brings the form back after a reload from hot state, but never one already saved', async () => {
		const { phone } = await endedCall();
		phone.syncWrapUps([live('7', Date.now() + 60_000)]);
		phone.finishWrapUp(parentOf('7'));
		// Saved, but the live list still has it for a moment: it must not come back.
		phone.syncWrapUps([live('7', Date.now() + 60_000)]);
		expect(phone.wrapUp).toBeNull();

		const fresh = new Softphone({ heartbeat: () => Promise.resolve(null), fetch: (() => Promise.resolve(new Response('{}', { status: 503 }))) as unknown as typeof fetch });
		current = fresh;
		const endsAt = Date.now() + 30_000;
		fresh.syncWrapUps([live('8', endsAt, 'Grace Hopper')]);
		expect(fresh.wrapUp).toMatchObject({ callSid: parentOf('8'), customerName: 'Grace Hopper', state: 'wrapping', endsAt, seenLive: true });
		fresh.syncWrapUps([]);
		expect(fresh.wrapUp?.readyBy).toBe('timeout');
	});

	it('keeps an unsaved older form when the next call ends, showing the call still in wrap-up first', async () => {
		const { phone, hangUp } = await endedCall();
		phone.syncWrapUps([live('7', Date.now() + 60_000)]);
		phone.syncWrapUps([]);
		const older = phone.wrapUp;
		if (older) older.notes = 'first call notes';
		await hangUp('8', 'Grace Hopper');
		phone.syncWrapUps([live('8', Date.now() + 60_000, 'Grace Hopper')]);
		expect(phone.wrapUps.map((w) => [w.callSid, w.state])).toEqual([
			[parentOf('7'), 'ready'],
			[parentOf('8'), 'wrapping']
		]);
		expect(phone.wrapUp?.customerName).toBe('Grace Hopper');
		phone.finishWrapUp(parentOf('8'));
		expect(phone.wrapUp).toMatchObject({ callSid: parentOf('7'), notes: 'first call notes' });
	});
});

describe('formatDuration', () => {
	it('formats minutes and hours', () => {
		expect(formatDuration(0)).toBe('0:00');
		expect(formatDuration(75)).toBe('1:15');
		expect(formatDuration(3723)).toBe('1:02:03');
	});
});
