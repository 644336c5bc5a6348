import { describe, expect, it, vi } from 'vitest';

const made: { token: string; options: Record<string, unknown>; audio: FakeAudio }[] = [];

class FakeAudio {
	calls: string[] = [];
	isOutputSelectionSupported = true;
	setInputDevice = (id: string) => Promise.resolve(void this.calls.push(`input:${id}`));
	unsetInputDevice = () => Promise.resolve(void this.calls.push('input:default'));
	speakerDevices = { set: (id: string) => Promise.resolve(void this.calls.push(`speaker:${id}`)) };
}

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
});
