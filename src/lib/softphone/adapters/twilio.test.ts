import { describe, expect, it, vi } from 'vitest';

const made: { token: string; options: Record<string, unknown>; audio: FakeAudio }[] = [];

class FakeAudio {
	calls: string[] = [];
	isOutputSelectionSupported = true;
	setInputDevice = (id: string) => Promise.resolve(void this.calls.push(`input:${id}`));
	unsetInputDevice = () => Promise.resolve(void this.calls.push('input:default'));
	speakerDevices = { set: (id: string) => Promise.resolve(void this.calls.push(`speaker:${id}`)) };
}

/** An SDK Call as Device.connect returns it: connecting, no CallSid until the carrier says. */
class FakeSdkCall {
	readonly direction = 'OUTGOING';
	readonly parameters: Record<string, string> = {};
	state = 'connecting';
	readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
	on(event: string, listener: (...args: unknown[]) => void) {
		this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
		return this;
	}
	fire(event: string, ...args: unknown[]) {
		for (const l of this.listeners.get(event) ?? []) l(...args);
	}
	status() {
		return this.state;
	}
}
const connected: { params: unknown; call: FakeSdkCall }[] = [];

vi.mock('@twilio/voice-sdk', () => ({
	Call: { Codec: { Opus: 'opus', PCMU: 'pcmu' } },
	Device: class {
		readonly audio = new FakeAudio();
		constructor(token: string, options: Record<string, unknown>) {
			made.push({ token, options, audio: this.audio });
		}
		on() {
			return this;
		}
		connect(options: { params?: Record<string, string> }) {
			if (connected.length) return Promise.reject(Object.assign(new Error('A Call is already active'), { name: 'InvalidStateError' }));
			const call = new FakeSdkCall();
			connected.push({ params: options.params, call });
			return Promise.resolve(call);
		}
	}
}));

const { createTwilioDevice } = await import('./twilio');

describe('createTwilioDevice', () => {
	it('prefers Opus, then PCMU', async () => {
		await createTwilioDevice('jwt');
		expect(made.at(-1)?.options).toMatchObject({ codecPreferences: ['opus', 'pcmu'], closeProtection: true });
	});

	it('selects the microphone and speaker through device.audio', async () => {
		const device = await createTwilioDevice('jwt');
		const audio = made.at(-1)!.audio;
		await device.setAudioDevices?.({ inputId: 'mic-2', outputId: 'speaker-1' });
		await device.setAudioDevices?.({ inputId: null, outputId: null });
		audio.isOutputSelectionSupported = false;
		await device.setAudioDevices?.({ inputId: 'mic-3', outputId: 'speaker-2' });
		expect(audio.calls).toEqual(['input:mic-2', 'speaker:speaker-1', 'input:default', 'speaker:default', 'input:mic-3']);
	});

	it('places a call with Device.connect({ params }) and passes on ringing, accept and the CallSid the SDK learns', async () => {
		const device = await createTwilioDevice('jwt');
		const call = await device.connect({ params: { To: '+12125550123', customerId: 'cus_1' } });
		const sdk = connected[0]!.call;
		expect(connected[0]!.params).toEqual({ To: '+12125550123', customerId: 'cus_1' });
		expect(call.direction).toBe('OUTGOING');
		expect([call.callSid, call.status()]).toEqual(['', 'connecting']);
		const seen: unknown[] = [];
		call.on('ringing', (early) => seen.push(['ringing', early]));
		call.on('accept', () => seen.push('accept'));
		sdk.parameters.CallSid = `CA${'1'.repeat(32)}`;
		sdk.state = 'ringing';
		sdk.fire('ringing', true);
		sdk.fire('accept', sdk);
		expect(seen).toEqual([['ringing', true], 'accept']);
		expect([call.callSid, call.status()]).toEqual([`CA${'1'.repeat(32)}`, 'ringing']);
		await expect(device.connect({ params: { To: '+12125550123' } })).rejects.toMatchObject({ name: 'SoftphoneError', message: 'A Call is already active' });
	});
});
