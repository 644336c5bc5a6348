/**
 * One call on the timeline: its details, re-read every few seconds while the recording is still
 * being saved or transcribed, so "processing" turns into a player and a transcript without a reload.
 */
import type { TCallDetail } from '$lib/server/trpc/routers/calls';
import { trpc } from '$lib/trpc';

export const DETAIL_POLL_MS = 3000;

export type LoadCallDetail = (callId: string) => Promise<TCallDetail>;

export class CallEntry {
	call = $state<TCallDetail>() as TCallDetail;
	readonly #load: LoadCallDetail;

	constructor(call: TCallDetail, load: LoadCallDetail = (callId) => trpc.calls.detail.query({ callId })) {
		this.call = call;
		this.#load = load;
	}

	/** The recording is being saved or its transcript is on its way: keep polling. */
	get processing(): boolean {
		const t = this.call.transcript.status;
		return this.call.recording.status === 'processing' || t === 'queued' || t === 'transcribing';
	}

	/** Re-read the call (the recording job may have finished or failed). */
	async refresh(): Promise<void> {
		try {
			this.call = await this.#load(this.call.callId);
		} catch {
			// A missed poll is retried on the next tick; the entry keeps what it showed.
		}
	}
}
