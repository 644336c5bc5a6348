/**
 * The customer phone page's state: one handset's calls and texts from the carrier's event
 * stream (re-opened when the caller ID changes), and the actions that drive the carrier.
 */
import { errorMessage } from '$lib/errors';
import { SvelteSet } from 'svelte/reactivity';
import { CallMedia } from '$lib/media/call-media';
import type { MediaState } from '$lib/media/media-signal';
import { E164 } from '$lib/phone-rules';
import type { PhoneAttachmentInput, PhoneCallView, PhoneMediaEvent, PhoneSnapshot } from './phone-types';

/** The audio of the phone's current call with a person (an agent's softphone), over WebRTC. */
export interface PhoneAudio {
	callSid: string;
	state: MediaState;
	/** Sound from the other side arrived in the last second. */
	receiving: boolean;
}

const LIVE_STATUSES = new Set(['queued', 'initiated', 'ringing', 'in-progress']);

async function post(url: string, body: unknown): Promise<void> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	if (response.ok) return;
	const problem = (await response.json().catch(() => ({}))) as { message?: string };
	throw new Error(problem.message ?? `The carrier refused (HTTP ${response.status}).`);
}

export class PhoneClient {
	snapshot = $state<PhoneSnapshot | null>(null);
	connected = $state(false);
	error = $state<string | null>(null);
	busy = $state(false);

	/** The call this phone placed that is not over yet. */
	readonly liveCall = $derived<PhoneCallView | null>(
		this.snapshot?.calls.find((c) => c.direction === 'outgoing' && LIVE_STATUSES.has(c.status)) ?? null
	);
	/** A call from Switchboard ringing this phone. */
	readonly ringing = $derived<PhoneCallView | null>(this.snapshot?.calls.find((c) => c.direction === 'incoming' && c.status === 'ringing') ?? null);
	readonly lastCall = $derived<PhoneCallView | null>(this.snapshot?.calls[0] ?? null);

	/** Null until a call is bridged to someone whose browser carries audio. */
	audio = $state<PhoneAudio | null>(null);

	#source: EventSource | null = null;
	#number = '';
	/** The call whose audio this page carries. */
	#call: { callSid: string; media: CallMedia } | null = null;
	/** Calls whose audio ended: a late signal for one of them opens nothing. */
	readonly #audioEnded = new SvelteSet<string>();

	/** Follow the handset with this number; does nothing until it is a valid E.164 number. */
	watch(number: string): void {
		if (number === this.#number && this.#source) return;
		this.close();
		this.#number = number;
		this.snapshot = null;
		if (!E164.test(number)) return;
		const source = new EventSource(`/phone/api/events?number=${encodeURIComponent(number)}`);
		this.#source = source;
		source.onopen = () => (this.connected = true);
		source.onerror = () => (this.connected = false);
		source.onmessage = (message: MessageEvent<string>) => {
			this.connected = true;
			const data = JSON.parse(message.data) as PhoneSnapshot | PhoneMediaEvent;
			if ('type' in data && data.type === 'media') this.#media(data);
			else this.snapshot = data as PhoneSnapshot;
		};
	}

	close(): void {
		this.#source?.close();
		this.#source = null;
		this.connected = false;
		this.#endAudio();
	}

	#media({ callSid, media }: PhoneMediaEvent): void {
		if (this.#call?.callSid !== callSid) {
			// A new call's audio; an ended call's late signals open nothing.
			if (media.kind === 'end' || (this.#audioEnded.has(callSid) && !media.peer)) return;
			this.#endAudio();
			this.audio = { callSid, state: 'connecting', receiving: false };
			const call = new CallMedia({
				send: (signal, peer) => post(`/phone/api/calls/${callSid}/media${peer ? `?peer=${encodeURIComponent(peer)}` : ''}`, signal),
				onChange: (state, receiving) => {
					if (this.audio?.callSid === callSid) this.audio = state === 'ended' ? null : { callSid, state, receiving };
				}
			});
			this.#call = { callSid, media: call };
		}
		this.#call.media.handle(media);
		// A conference link ending (it names a peer) is not the call's audio ending: other links may stay.
		if (media.kind === 'end' && !media.peer) {
			this.#audioEnded.add(callSid);
			this.#endAudio();
		}
	}

	#endAudio(): void {
		this.#call?.media.close();
		this.#call = null;
		this.audio = null;
	}

	call(from: string, to: string): Promise<void> {
		return this.#run(() => post('/phone/api/call', { from, to }));
	}

	text(from: string, to: string, body: string, attachment?: PhoneAttachmentInput): Promise<void> {
		return this.#run(() => post('/phone/api/text', { from, to, body, ...(attachment ? { attachment } : {}) }));
	}

	act(callSid: string, action: 'hangup' | 'answer' | 'reject'): Promise<void> {
		return this.#run(() => post(`/phone/api/calls/${callSid}/${action}`, {}));
	}

	pressKeys(callSid: string, digits: string): Promise<void> {
		return this.#run(() => post(`/phone/api/calls/${callSid}/digits`, { digits }));
	}

	async #run(action: () => Promise<void>): Promise<void> {
		this.busy = true;
		this.error = null;
		try {
			await action();
		} catch (error) {
			this.error = errorMessage(error);
		} finally {
			this.busy = false;
		}
	}
}
