/**
 * The audio of one call, driven by the carrier's media events: `start` opens a MediaLink in the
 * role the carrier gave, a signal before any start opens it as the answering side, `end` closes
 * it, and a late signal after that opens nothing. A link replaced by a new `start` (the call was
 * bridged again) reports nothing more. Used by the local softphone and the customer phone page.
 */
import { MediaLink, type MediaLinkOptions } from './media-link';
import type { MediaEvent, MediaState } from './media-signal';

/** What a caller may set on the links a CallMedia opens (tests inject a peer connection and a microphone). */
export type MediaLinkSettings = Partial<Pick<MediaLinkOptions, 'createPeer' | 'getMicrophone' | 'play' | 'connectTimeoutMs' | 'statsMs'>>;

export interface CallMediaOptions extends MediaLinkSettings {
	/** Relay a signal to the other side; rejects when the carrier refuses it. */
	send: MediaLinkOptions['send'];
	/** The audio's state and whether sound from the other side arrives; `ended` once it closed. */
	onChange: (state: MediaState, receiving: boolean) => void;
}

export class CallMedia {
	readonly #options: CallMediaOptions;
	#link: MediaLink | null = null;
	#ended = false;
	#generation = 0;
	#muted = false;
	#receiving = false;

	constructor(options: CallMediaOptions) {
		this.#options = options;
	}

	handle(event: MediaEvent): void {
		if (event.kind === 'end') {
			this.close();
			return;
		}
		if (event.kind === 'start') this.#open(event.role);
		else if (!this.#link && !this.#ended) this.#open('answer');
		if (event.kind === 'signal') this.#link?.receive(event.signal);
	}

	/** Stop or resume sending the microphone, now and on any link opened later. */
	mute(muted: boolean): void {
		this.#muted = muted;
		this.#link?.mute(muted);
	}

	/** The call or its bridge ended: close the link (reporting `ended` once) and open no other. */
	close(): void {
		this.#ended = true;
		const link = this.#link;
		this.#link = null;
		this.#generation++;
		if (!link) return;
		link.close();
		this.#options.onChange('ended', false);
	}

	#open(role: 'offer' | 'answer'): void {
		this.#ended = false;
		this.#generation++;
		this.#link?.close();
		this.#receiving = false;
		const generation = this.#generation;
		const current = () => generation === this.#generation;
		const { onChange, ...linkOptions } = this.#options;
		this.#link = new MediaLink({
			...linkOptions,
			role,
			onState: (state) => {
				if (current()) onChange(state, this.#receiving);
			},
			onReceiving: (receiving) => {
				if (!current()) return;
				this.#receiving = receiving;
				onChange(this.#link?.state ?? 'connecting', receiving);
			}
		});
		this.#link.mute(this.#muted);
	}
}
