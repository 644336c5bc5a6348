/** Test doubles for WebRTC in node (vitest): a peer connection that logs what is done to it, and microphone tracks. Test code only. */

/** Just enough of RTCPeerConnection to see what MediaLink does with it, in order. */
export class FakePeer {
	readonly log: string[] = [];
	connectionState: RTCPeerConnectionState = 'new';
	localDescription: { type: RTCSdpType; sdp: string } | null = null;
	remoteDescription: { type: RTCSdpType; sdp: string } | null = null;
	bytesReceived = 0;
	onicecandidate: ((event: { candidate: { candidate: string; sdpMid: string; sdpMLineIndex: number } | null }) => void) | null = null;
	ontrack: ((event: { streams: unknown[]; track: unknown }) => void) | null = null;
	onconnectionstatechange: (() => void) | null = null;
	addTrack(track: { id: string }) {
		this.log.push(`addTrack:${track.id}`);
	}
	addTransceiver(kind: string, init: { direction: string }) {
		this.log.push(`addTransceiver:${kind}:${init.direction}`);
	}
	createOffer() {
		return Promise.resolve({ type: 'offer' as const, sdp: 'offer-sdp' });
	}
	createAnswer() {
		return Promise.resolve({ type: 'answer' as const, sdp: 'answer-sdp' });
	}
	setLocalDescription(d: { type: RTCSdpType; sdp: string }) {
		this.localDescription = d;
		this.log.push(`local:${d.type}`);
		return Promise.resolve();
	}
	setRemoteDescription(d: { type: RTCSdpType; sdp: string }) {
		this.remoteDescription = d;
		this.log.push(`remote:${d.type}`);
		return Promise.resolve();
	}
	addIceCandidate(c: { candidate: string }) {
		if (!this.remoteDescription) throw new Error('candidate before the remote description');
		this.log.push(`candidate:${c.candidate}`);
		return Promise.resolve();
	}
	getStats() {
		const entries = [{ type: 'inbound-rtp', kind: 'audio', bytesReceived: this.bytesReceived }];
		return Promise.resolve({ forEach: (f: (e: unknown) => void) => entries.forEach(f) });
	}
	close() {
		this.log.push('close');
	}
	connect(state: RTCPeerConnectionState = 'connected') {
		this.connectionState = state;
		this.onconnectionstatechange?.();
	}
}

export function fakeTrack(id: string) {
	return {
		id,
		enabled: true,
		stopped: false,
		stop() {
			this.stopped = true;
		}
	};
}

/** A microphone stream of one fake track. */
export function fakeMicrophone(track = fakeTrack('mic')) {
	return { getAudioTracks: () => [track], getTracks: () => [track] } as unknown as MediaStream;
}

