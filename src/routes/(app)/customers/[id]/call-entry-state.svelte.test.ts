import { describe, expect, it } from 'vitest';
import type { TCallDetail } from '$lib/server/trpc/routers/calls';
import { CallEntry, formatSeconds, type CallEntryApi } from './call-entry-state.svelte';

const call = (recording: TCallDetail['recording']): TCallDetail => ({
	callId: '00000000-0000-4000-8000-000000000009',
	callSid: `CA${'1'.repeat(32)}`,
	direction: 'inbound',
	outcome: 'answered',
	queue: 'sales',
	agentId: 'u1',
	agentName: 'Alice',
	from: '+12125550123',
	waitSeconds: 12,
	talkSeconds: 245,
	wrapupSeconds: 30,
	disposition: 'Resolved',
	notes: '',
	recording
});

function fakeApi(details: TCallDetail[], urls: string[]): CallEntryApi & { asked: number } {
	const api = {
		asked: 0,
		detail: () => Promise.resolve(details.shift() ?? call({ status: 'none' })),
		recordingUrl: () => {
			api.asked += 1;
			const url = urls.shift();
			return url ? Promise.resolve({ url, expiresAt: new Date(Date.now() + 300_000).toISOString() }) : Promise.reject(new Error('No recording.'));
		}
	};
	return api;
}

describe('CallEntry', () => {
	it('asks for the signed URL only when play is pressed', async () => {
		const api = fakeApi([], ['https://sb.example/files/a?sig=1']);
		const entry = new CallEntry(call({ status: 'stored', seconds: 245, channels: 2 }), api);
		expect(entry.audioUrl).toBeNull();
		expect(api.asked).toBe(0);
		await entry.play();
		expect(entry.audioUrl).toBe('https://sb.example/files/a?sig=1');
		expect(api.asked).toBe(1);
	});

	it('turns processing into stored on refresh', async () => {
		const api = fakeApi([call({ status: 'stored', seconds: 245, channels: 2 })], []);
		const entry = new CallEntry(call({ status: 'processing', attempts: 0, lastError: null }), api);
		expect(entry.processing).toBe(true);
		await entry.refresh();
		expect(entry.processing).toBe(false);
		expect(entry.call.recording.status).toBe('stored');
	});

	it('gets one fresh URL when the player fails (an expired link), then gives up with a message', async () => {
		const api = fakeApi([], ['https://sb.example/1', 'https://sb.example/2']);
		const entry = new CallEntry(call({ status: 'stored', seconds: 1, channels: 1 }), api);
		await entry.play();
		expect(await entry.playerFailed()).toBe(true);
		expect(entry.audioUrl).toBe('https://sb.example/2');
		expect(await entry.playerFailed()).toBe(false);
		expect(entry.audioError).toMatch(/could not be played/);
		expect(api.asked).toBe(2);
	});

	it('shows the server refusal when there is no URL to be had', async () => {
		const entry = new CallEntry(call({ status: 'stored', seconds: 1, channels: 1 }), fakeApi([], []));
		await entry.play();
		expect(entry.audioUrl).toBeNull();
		expect(entry.audioError).toBe('No recording.');
	});

	it('formats durations as m:ss and h:mm:ss', () => {
		expect([formatSeconds(null), formatSeconds(5), formatSeconds(245), formatSeconds(3729)]).toEqual(['—', '0:05', '4:05', '1:02:09']);
	});
});
