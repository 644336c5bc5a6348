/**
 * The audio of one call, driven by the carrier's media events: `start` opens a MediaLink in the
 * role the carrier gave, a signal before any start opens it as the answering side, `end` closes
 * it, and a late signal after that opens nothing. A link replaced by a new `start` (the call was
 * bridged again) reports nothing more. In a conference each event names a `peer` and the call
 * keeps one link per peer. Used by the local softphone and the customer phone page.
 */
import { MediaLink, type MediaLinkOptions } from './media-link';
import type { MediaEvent, MediaSignal, MediaState } from './media-signal';

/** What a caller may set on the links a CallMedia opens (tests inject a peer connection and a microphone). */
export type MediaLinkSettings = Partial<Pick<MediaLinkOptions, 'createPeer' | 'getMicrophone' | 'play' | 'connectTimeoutMs' | 'statsMs'>>;

export interface CallMediaOptions extends MediaLinkSettings {
	/** Relay a signal to the other side (to conference participant `peer` when set); rejects when the carrier refuses it. */
	send: (signal: MediaSignal, peer?: string) => Promise<void>;
	/** The audio's state and whether sound from the other side arrives; `ended` once it closed. */
	onChange: (state: MediaState, receiving: boolean) => void;
}

interface OpenLink {
	link: MediaLink;
	receiving: boolean;
}

/** Which state the call's audio shows when it has several links: the best one. */
const RANK: Record<MediaState, number> = { connected: 4, 'no-microphone': 3, connecting: 2, failed: 1, ended: 0 };

/**
 * The audio of one call: one link for a bridge, or one per conference participant it hears or is
 * heard by (events name that participant as `peer`; a bridge's name none). The call's state is
 * its best link's, `receiving` whether any link receives, `ended` once the last link closed.
 */
export class CallMedia {
	readonly #options: CallMediaOptions;
	readonly #links = new Map<string, OpenLink>();
	/** Peers whose link ended: a late signal for one of them opens nothing. */
	readonly #ended = new Set<string>();
	#muted = false;

	constructor(options: CallMediaOptions) {
		this.#options = options;
	}

	handle(event: MediaEvent): void {
		const peer = event.peer ?? '';
		if (event.kind === 'end') {
			this.#close(peer);
			return;
		}
		if (event.kind === 'start') this.#open(peer, event.role, event.send ?? true, event.receive ?? true);
		else if (!this.#links.has(peer) && !this.#ended.has(peer)) this.#open(peer, 'answer', true, true);
		if (event.kind === 'signal') this.#links.get(peer)?.link.receive(event.signal);
	}

	/** Stop or resume sending the microphone, now and on any link opened later. */
	mute(muted: boolean): void {
		this.#muted = muted;
		for (const open of this.#links.values()) open.link.mute(muted);
	}

	/** The call or its bridge ended: close every link (reporting `ended` once) and open no other. */
	close(): void {
		const had = this.#links.size > 0;
		for (const [peer, open] of [...this.#links]) {
			this.#links.delete(peer);
			this.#ended.add(peer);
			open.link.close();
		}
		this.#ended.add('');
		if (had) this.#options.onChange('ended', false);
	}

	#close(peer: string): void {
		this.#ended.add(peer);
		const open = this.#links.get(peer);
		if (!open) return;
		this.#links.delete(peer);
		open.link.close();
		this.#report();
	}

	#report(): void {
		const open = [...this.#links.values()];
		if (!open.length) return this.#options.onChange('ended', false);
		const state = open.map((o) => o.link.state).reduce((best, s) => (RANK[s] > RANK[best] ? s : best));
		this.#options.onChange(state, open.some((o) => o.receiving));
	}

	#open(peer: string, role: 'offer' | 'answer', send: boolean, receive: boolean): void {
		this.#ended.delete(peer);
		const previous = this.#links.get(peer);
		this.#links.delete(peer);
		previous?.link.close();
		const { onChange: _onChange, send: relay, ...linkOptions } = this.#options;
		void _onChange;
		const entry: OpenLink = { link: null as unknown as MediaLink, receiving: false };
		const current = () => this.#links.get(peer) === entry;
		entry.link = new MediaLink({
			...linkOptions,
			role,
			send: (signal) => relay(signal, peer || undefined),
			sendAudio: send,
			receiveAudio: receive,
			onState: () => {
				if (current()) this.#report();
			},
			onReceiving: (receiving) => {
				if (!current()) return;
				entry.receiving = receiving;
				this.#report();
			}
		});
		this.#links.set(peer, entry);
		entry.link.mute(this.#muted);
		this.#report();
	}
}
