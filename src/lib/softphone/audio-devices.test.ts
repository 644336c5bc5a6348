import { describe, expect, it } from 'vitest';
import { listAudioDevices, loadAudioChoice, saveAudioChoice } from './audio-devices';

function memory() {
	const data = new Map<string, string>();
	return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

describe('audio device choice', () => {
	it('keeps the chosen microphone and speaker in this browser, and reads junk as the defaults', () => {
		const store = memory();
		expect(loadAudioChoice(store)).toEqual({ inputId: null, outputId: null });
		saveAudioChoice({ inputId: 'mic-2', outputId: null }, store);
		expect(loadAudioChoice(store)).toEqual({ inputId: 'mic-2', outputId: null });
		store.setItem('switchboard.softphone.audio', '{not json');
		expect(loadAudioChoice(store)).toEqual({ inputId: null, outputId: null });
	});

	it('lists microphones and speakers, without the browser aliases, naming unlabeled ones', async () => {
		const device = (kind: MediaDeviceKind, deviceId: string, label = '') => ({ kind, deviceId, label, groupId: '', toJSON: () => ({}) }) as MediaDeviceInfo;
		const media = {
			enumerateDevices: () =>
				Promise.resolve([
					device('audioinput', 'default', 'Default'),
					device('audioinput', 'm1', 'USB headset'),
					device('audioinput', 'm2'),
					device('audiooutput', 's1', 'Speakers'),
					device('videoinput', 'c1', 'Camera')
				])
		};
		expect(await listAudioDevices(media)).toEqual({
			inputs: [
				{ id: 'm1', label: 'USB headset' },
				{ id: 'm2', label: 'Microphone 2' }
			],
			outputs: [{ id: 's1', label: 'Speakers' }]
		});
	});
});
