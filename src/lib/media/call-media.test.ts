import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallMedia } from './call-media';
import type { MediaSignal, MediaState } from './media-signal';
import { FakePeer, fakeMicrophone, fakeTrack } from './test-peer';

function callMedia() {
	const peers: FakePeer[] = [];
	const changes: [MediaState, boolean][] = [];
	const sent: MediaSignal[] = [];
	const peersOf: (string | undefined)[] = [];
	const mic = fakeTrack('mic');
	const media = new CallMedia({
		send: (signal, peer) => (sent.push(signal), peersOf.push(peer), Promise.resolve()),
		onChange: (state, receiving) => changes.push([state, receiving]),
		createPeer: () => {
			const peer = new FakePeer();
			peers.push(peer);
			return peer as unknown as RTCPeerConnection;
		},
		getMicrophone: () => Promise.resolve(fakeMicrophone(mic)),
		play: () => undefined,
		statsMs: 1000
	});
	return { media, peers, changes, sent, peersOf, mic };
}

const offer: MediaSignal = { description: { type: 'offer', sdp: 'offer-sdp' } };

describe('CallMedia', () => {
	beforeEach(() => vi.useFakeTimers());
	afterEach(() => vi.useRealTimers());

	it('opens in the role of start, answers an offer, and reports ended once when the bridge closes', async () => {
		const c = callMedia();
		c.media.handle({ kind: 'start', role: 'answer' });
		c.media.handle({ kind: 'signal', signal: offer });
		await vi.advanceTimersByTimeAsync(0);
		expect(c.peers).toHaveLength(1);
		expect(c.sent).toEqual([{ description: { type: 'answer', sdp: 'answer-sdp' } }]);
		c.peers[0]!.connect();
		expect(c.changes).toEqual([
			['connecting', false],
			['connected', false]
		]);
		c.peers[0]!.bytesReceived = 100;
		await vi.advanceTimersByTimeAsync(1000);
		expect(c.changes.at(-1)).toEqual(['connected', true]);
		c.media.handle({ kind: 'end' });
		c.media.close();
		expect(c.changes.filter(([s]) => s === 'ended')).toHaveLength(1);
		expect(c.mic.stopped).toBe(true);
	});

	it('answers a signal that came without a start, and opens nothing for a late signal after the end', async () => {
		const c = callMedia();
		c.media.handle({ kind: 'signal', signal: offer });
		await vi.advanceTimersByTimeAsync(0);
		expect(c.peers).toHaveLength(1);
		expect(c.peers[0]!.remoteDescription).toEqual(offer.description);
		c.media.handle({ kind: 'end' });
		c.media.handle({ kind: 'signal', signal: { candidate: { candidate: 'late', sdpMid: '0', sdpMLineIndex: 0 } } });
		expect(c.peers).toHaveLength(1);
	});

	it('keeps mute across links, and a link replaced by a new start reports nothing more', async () => {
		const c = callMedia();
		c.media.mute(true);
		c.media.handle({ kind: 'start', role: 'offer' });
		await vi.advanceTimersByTimeAsync(0);
		expect(c.mic.enabled).toBe(false);
		const first = c.peers[0]!;
		c.media.handle({ kind: 'start', role: 'offer' });
		await vi.advanceTimersByTimeAsync(0);
		expect(c.peers).toHaveLength(2);
		expect(first.log.at(-1)).toBe('close');
		// The replaced link closing is not the call's audio ending.
		expect(c.changes.map(([state]) => state)).not.toContain('ended');
		const before = c.changes.length;
		first.connect();
		expect(c.changes).toHaveLength(before);
		c.peers[1]!.connect();
		expect(c.changes.at(-1)).toEqual(['connected', false]);
		expect(c.mic.enabled).toBe(false);
	});

	it('keeps one link per conference peer, one-way when the carrier says so, and ends only with the last one', async () => {
		const c = callMedia();
		c.media.handle({ kind: 'start', role: 'offer', peer: 'CA1' });
		c.media.handle({ kind: 'start', role: 'answer', peer: 'CA2', send: false, receive: true });
		await vi.advanceTimersByTimeAsync(0);
		expect(c.peers).toHaveLength(2);
		expect(c.peers[0]!.log).toEqual(['addTrack:mic', 'local:offer']);
		// Heard by nobody on this link: no microphone, receive only.
		expect(c.peers[1]!.log).toEqual(['addTransceiver:audio:recvonly']);
		expect(c.peersOf).toEqual(['CA1']);
		c.media.handle({ kind: 'signal', signal: offer, peer: 'CA2' });
		await vi.advanceTimersByTimeAsync(0);
		expect(c.peersOf).toEqual(['CA1', 'CA2']);
		c.peers[1]!.connect();
		expect(c.changes.at(-1)).toEqual(['connected', false]);
		c.media.handle({ kind: 'end', peer: 'CA2' });
		expect(c.changes.at(-1)).toEqual(['connecting', false]);
		c.media.handle({ kind: 'signal', signal: offer, peer: 'CA2' });
		expect(c.peers).toHaveLength(2);
		c.media.handle({ kind: 'end', peer: 'CA1' });
		expect(c.changes.at(-1)).toEqual(['ended', false]);
	});
});
