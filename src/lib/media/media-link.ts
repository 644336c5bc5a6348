/**
 * One side of a call's audio between two browsers on the local carrier: the microphone goes to
 * an RTCPeerConnection whose offer, answer and ICE candidates travel through the carrier (see
 * media-signal.ts), and the other person's audio plays. Host candidates on localhost need no
 * STUN or TURN server. Reports its state, and whether audio from the other side is arriving.
 */
import type { MediaCandidate, MediaSignal, MediaState } from './media-signal';

export interface MediaLinkOptions {
	role: 'offer' | 'answer';
	/** Send the microphone (false: the other side does not hear this one, e.g. a customer does not hear a coach). Default true. */
	sendAudio?: boolean;
	/** Play what arrives (false: this side does not hear the other). Default true. */
	receiveAudio?: boolean;
	/** Relay a signal to the other side; rejects when the carrier refuses it. */
	send: (signal: MediaSignal) => Promise<void>;
	onState: (state: MediaState) => void;
	/** Whether audio from the other side arrived in the last check (every `statsMs`). */
	onReceiving?: (receiving: boolean) => void;
	/** Give up when not connected by then. */
	connectTimeoutMs?: number;
	statsMs?: number;
	/** Injection points for tests; the browser's own by default. */
	createPeer?: () => RTCPeerConnection;
	getMicrophone?: () => Promise<MediaStream>;
	play?: (stream: MediaStream) => void;
}

function defaultPlay(): { play: (stream: MediaStream) => void; stop: () => void } {
	let audio: HTMLAudioElement | null = null;
	return {
		play(stream) {
			audio ??= new Audio();
			audio.autoplay = true;
			audio.srcObject = stream;
			// Autoplay needs a user gesture, which answering or dialling was.
			void audio.play().catch(() => undefined);
		},
		stop() {
			if (audio) audio.srcObject = null;
			audio = null;
		}
	};
}

export class MediaLink {
	readonly #options: MediaLinkOptions;
	readonly #peer: RTCPeerConnection;
	readonly #player = defaultPlay();
	#microphone: MediaStream | null = null;
	#noMicrophone = false;
	#muted = false;
	#state: MediaState = 'connecting';
	readonly #pendingCandidates: MediaCandidate[] = [];
	#timeout: ReturnType<typeof setTimeout> | null = null;
	#stats: ReturnType<typeof setInterval> | null = null;
	#bytes = 0;
	#closed = false;
	/** Work on the connection in order (microphone first, then descriptions and candidates as they came). */
	#chain: Promise<void>;

	constructor(options: MediaLinkOptions) {
		this.#options = options;
		this.#peer = options.createPeer?.() ?? new RTCPeerConnection({ iceServers: [] });
		this.#peer.onicecandidate = (event) => {
			if (!event.candidate) return;
			const { candidate, sdpMid, sdpMLineIndex } = event.candidate;
			this.#send({ candidate: { candidate, sdpMid: sdpMid ?? null, sdpMLineIndex: sdpMLineIndex ?? null } });
		};
		this.#peer.ontrack = (event) => {
			if (options.receiveAudio === false) return;
			const stream = event.streams[0] ?? new MediaStream([event.track]);
			(options.play ?? this.#player.play)(stream);
		};
		this.#peer.onconnectionstatechange = () => {
			const state = this.#peer.connectionState;
			if (state === 'connected') this.#connected();
			else if (state === 'failed') this.#fail();
		};
		options.onState('connecting');
		this.#timeout = setTimeout(() => {
			if (this.#state === 'connecting') this.#fail();
		}, options.connectTimeoutMs ?? 15_000);
		// A microphone or offer that fails fails the link, whether or not a signal follows.
		this.#chain = this.#start().catch(() => this.#fail());
	}

	get state(): MediaState {
		return this.#state;
	}

	/** A signal from the other side, applied after everything before it. */
	receive(signal: MediaSignal): void {
		this.#chain = this.#chain.then(() => this.#apply(signal)).catch(() => this.#fail());
	}

	/** Stop sending the microphone (the carrier's mute is the call's; this is the audio's). */
	mute(muted: boolean): void {
		this.#muted = muted;
		for (const track of this.#microphone?.getAudioTracks() ?? []) track.enabled = !muted;
	}

	/** The bridge closed: hang up the audio and release the microphone. */
	close(): void {
		if (this.#closed) return;
		this.#closed = true;
		if (this.#timeout) clearTimeout(this.#timeout);
		if (this.#stats) clearInterval(this.#stats);
		this.#peer.close();
		for (const track of this.#microphone?.getTracks() ?? []) track.stop();
		this.#player.stop();
		this.#setState('ended');
	}

	async #start(): Promise<void> {
		if (this.#options.sendAudio === false) {
			// Heard by nobody on this link: receive only, and no microphone to ask for.
			this.#peer.addTransceiver('audio', { direction: 'recvonly' });
			if (this.#options.role === 'offer') {
				await this.#peer.setLocalDescription(await this.#peer.createOffer());
				this.#sendDescription();
			}
			return;
		}
		try {
			const microphone = await (this.#options.getMicrophone?.() ?? navigator.mediaDevices.getUserMedia({ audio: true, video: false }));
			if (this.#closed) {
				for (const track of microphone.getTracks()) track.stop();
				return;
			}
			this.#microphone = microphone;
			for (const track of microphone.getAudioTracks()) {
				track.enabled = !this.#muted;
				this.#peer.addTrack(track, microphone);
			}
		} catch {
			// No microphone (denied, none plugged in): still hear the other side.
			this.#peer.addTransceiver('audio', { direction: 'recvonly' });
			this.#noMicrophone = true;
		}
		if (this.#options.role === 'offer') {
			await this.#peer.setLocalDescription(await this.#peer.createOffer());
			this.#sendDescription();
		}
	}

	async #apply(signal: MediaSignal): Promise<void> {
		if (this.#closed) return;
		if ('description' in signal) {
			await this.#peer.setRemoteDescription(signal.description);
			for (const candidate of this.#pendingCandidates.splice(0)) await this.#peer.addIceCandidate(candidate);
			if (signal.description.type === 'offer') {
				await this.#peer.setLocalDescription(await this.#peer.createAnswer());
				this.#sendDescription();
			}
			return;
		}
		if (!this.#peer.remoteDescription) this.#pendingCandidates.push(signal.candidate);
		else await this.#peer.addIceCandidate(signal.candidate);
	}

	#sendDescription(): void {
		const description = this.#peer.localDescription;
		if (description && (description.type === 'offer' || description.type === 'answer')) this.#send({ description: { type: description.type, sdp: description.sdp } });
	}

	#send(signal: MediaSignal): void {
		if (this.#closed) return;
		this.#options.send(signal).catch(() => this.#fail());
	}

	#connected(): void {
		if (this.#closed) return;
		if (this.#timeout) clearTimeout(this.#timeout);
		this.#setState(this.#noMicrophone ? 'no-microphone' : 'connected');
		if (this.#stats || !this.#options.onReceiving) return;
		const onReceiving = this.#options.onReceiving;
		this.#stats = setInterval(() => {
			void this.#peer
				.getStats()
				.then((report) => {
					let bytes = 0;
					report.forEach((entry: { type?: string; kind?: string; bytesReceived?: number }) => {
						if (entry.type === 'inbound-rtp' && entry.kind === 'audio') bytes += entry.bytesReceived ?? 0;
					});
					onReceiving(bytes > this.#bytes);
					this.#bytes = bytes;
				})
				.catch(() => undefined);
		}, this.#options.statsMs ?? 1_000);
	}

	#fail(): void {
		if (this.#closed || this.#state === 'failed') return;
		if (this.#timeout) clearTimeout(this.#timeout);
		this.#setState('failed');
	}

	#setState(state: MediaState): void {
		if (this.#state === state) return;
		this.#state = state;
		this.#options.onState(state);
	}
}
