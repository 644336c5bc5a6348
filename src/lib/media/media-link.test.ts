import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MediaLink, type MediaLinkOptions } from './media-link';
import type { MediaSignal, MediaState } from './media-signal';
import { FakePeer, fakeTrack } from './test-peer';

function link(options: Partial<MediaLinkOptions> & { role: 'offer' | 'answer' }, microphone: 'ok' | 'denied' = 'ok') {
	const peer = new FakePeer();
	const sent: MediaSignal[] = [];
	const states: MediaState[] = [];
	const receiving: boolean[] = [];
	const mic = fakeTrack('mic');
	const played: unknown[] = [];
	const stream = { getAudioTracks: () => [mic], getTracks: () => [mic] };
	const media = new MediaLink({
		send: (signal) => {
			sent.push(signal);
			return Promise.resolve();
		},
		onState: (s) => states.push(s),
		onReceiving: (r) => receiving.push(r),
		createPeer: () => peer as unknown as RTCPeerConnection,
		getMicrophone: () => (microphone === 'ok' ? Promise.resolve(stream as unknown as MediaStream) : Promise.reject(new DOMException('denied', 'NotAllowedError'))),
		play: (s) => played.push(s),
		...options
	});
	return { media, peer, sent, states, receiving, mic, played };
}

const flush = () => vi.advanceTimersByTimeAsync(0);

describe('MediaLink', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('offers after adding the microphone, buffers early candidates until the answer, and reports sound arriving', async () => {
		const l = link({ role: 'offer', statsMs: 1000 });
		// A candidate from the other side before its answer: kept until the answer is applied.
		l.media.receive({ candidate: { candidate: 'c-early', sdpMid: '0', sdpMLineIndex: 0 } });
		await flush();
		expect(l.peer.log).toEqual(['addTrack:mic', 'local:offer']);
		expect(l.sent).toEqual([{ description: { type: 'offer', sdp: 'offer-sdp' } }]);
		l.peer.onicecandidate?.({ candidate: { candidate: 'c-mine', sdpMid: '0', sdpMLineIndex: 0 } });
		l.peer.onicecandidate?.({ candidate: null });
		expect(l.sent.at(-1)).toEqual({ candidate: { candidate: 'c-mine', sdpMid: '0', sdpMLineIndex: 0 } });
		expect(l.sent).toHaveLength(2);

		l.media.receive({ description: { type: 'answer', sdp: 'answer-sdp' } });
		await flush();
		expect(l.peer.log.slice(2)).toEqual(['remote:answer', 'candidate:c-early']);
		l.peer.ontrack?.({ streams: ['remote-stream'], track: {} });
		expect(l.played).toEqual(['remote-stream']);

		expect(l.states).toEqual(['connecting']);
		l.peer.connect();
		expect(l.states).toEqual(['connecting', 'connected']);
		l.peer.bytesReceived = 500;
		await vi.advanceTimersByTimeAsync(1000);
		await vi.advanceTimersByTimeAsync(1000);
		expect(l.receiving).toEqual([true, false]);

		l.media.mute(true);
		expect(l.mic.enabled).toBe(false);
		l.media.close();
		expect(l.mic.stopped).toBe(true);
		expect(l.peer.log.at(-1)).toBe('close');
		expect(l.states.at(-1)).toBe('ended');
	});

	it('answers an offer, and without a microphone still receives and says so', async () => {
		const l = link({ role: 'answer' }, 'denied');
		l.media.receive({ description: { type: 'offer', sdp: 'offer-sdp' } });
		await flush();
		expect(l.peer.log).toEqual(['addTransceiver:audio:recvonly', 'remote:offer', 'local:answer']);
		expect(l.sent).toEqual([{ description: { type: 'answer', sdp: 'answer-sdp' } }]);
		l.peer.connect();
		expect(l.states.at(-1)).toBe('no-microphone');
	});

	it('fails when the link does not come up in time, when the carrier refuses a signal, or when ICE fails', async () => {
		const slow = link({ role: 'offer', connectTimeoutMs: 5000 });
		await vi.advanceTimersByTimeAsync(5000);
		expect(slow.states).toEqual(['connecting', 'failed']);

		const refused = link({ role: 'offer', send: () => Promise.reject(new Error('That call is not connected to anyone whose browser carries audio.')) });
		await flush();
		expect(refused.states).toEqual(['connecting', 'failed']);

		const broken = link({ role: 'answer' });
		await flush();
		broken.peer.connect('failed');
		expect(broken.states).toEqual(['connecting', 'failed']);
		broken.media.close();
		expect(broken.states.at(-1)).toBe('ended');
	});
});
