import { describe, expect, it } from 'vitest';
import { formatSeconds, RecordingPlayback, type SignRecording } from './recording-playback.svelte';

function signer(urls: string[]): SignRecording & { asked: number } {
	const sign = Object.assign(
		() => {
			sign.asked += 1;
			const url = urls.shift();
			return url ? Promise.resolve({ url, expiresAt: new Date(Date.now() + 300_000).toISOString() }) : Promise.reject(new Error('No recording.'));
		},
		{ asked: 0 }
	);
	return sign;
}

describe('RecordingPlayback', () => {
	it('asks for the signed URL only when play is pressed', async () => {
		const sign = signer(['https://sb.example/files/a?sig=1']);
		const playback = new RecordingPlayback('c1', sign);
		expect(playback.url).toBeNull();
		expect(sign.asked).toBe(0);
		await playback.play();
		expect(playback.url).toBe('https://sb.example/files/a?sig=1');
		expect(sign.asked).toBe(1);
	});

	it('gets one fresh URL when the player fails (an expired link), then gives up with a message', async () => {
		const sign = signer(['https://sb.example/1', 'https://sb.example/2']);
		const playback = new RecordingPlayback('c1', sign);
		await playback.play();
		expect(await playback.playerFailed()).toBe(true);
		expect(playback.url).toBe('https://sb.example/2');
		expect(await playback.playerFailed()).toBe(false);
		expect(playback.error).toMatch(/could not be played/);
		expect(sign.asked).toBe(2);
	});

	it('shows the server refusal when there is no URL to be had', async () => {
		const playback = new RecordingPlayback('c1', signer([]));
		await playback.play();
		expect(playback.url).toBeNull();
		expect(playback.error).toBe('No recording.');
	});

	it('formats durations as m:ss and h:mm:ss', () => {
		expect([formatSeconds(null), formatSeconds(5), formatSeconds(245), formatSeconds(3729)]).toEqual(['—', '0:05', '4:05', '1:02:09']);
	});
});
