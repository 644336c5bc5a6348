/**
 * One call on the timeline: its details (re-read every few seconds while the recording is still
 * being saved, so "processing" turns into a player without a reload) and the recording's signed
 * URL, asked for only when the agent presses play. The URL lives five minutes; if the player
 * fails after that (a late seek), one fresh URL is requested and playback resumes where it was.
 */
import type { TCallDetail } from '$lib/server/trpc/routers/calls';
import { errorMessage, trpc } from '$lib/trpc';

export const DETAIL_POLL_MS = 3000;

export interface CallEntryApi {
	detail(callId: string): Promise<TCallDetail>;
	recordingUrl(callId: string): Promise<{ url: string; expiresAt: string }>;
}

const defaultApi: CallEntryApi = {
	detail: (callId) => trpc.calls.detail.query({ callId }),
	recordingUrl: (callId) => trpc.calls.recordingUrl.query({ callId })
};

export class CallEntry {
	call = $state<TCallDetail>() as TCallDetail;
	/** The signed URL the player loads; null until play is pressed. */
	audioUrl = $state<string | null>(null);
	expiresAt = $state<string | null>(null);
	loadingAudio = $state(false);
	audioError = $state<string | null>(null);
	readonly #api: CallEntryApi;
	#retried = false;

	constructor(call: TCallDetail, api: CallEntryApi = defaultApi) {
		this.call = call;
		this.#api = api;
	}

	get processing(): boolean {
		return this.call.recording.status === 'processing';
	}

	/** Re-read the call (the recording job may have finished or failed). */
	async refresh(): Promise<void> {
		try {
			this.call = await this.#api.detail(this.call.callId);
		} catch {
			// A missed poll is retried on the next tick; the entry keeps what it showed.
		}
	}

	/** Ask the server for a short-lived signed URL and hand it to the player. */
	async play(): Promise<void> {
		if (this.loadingAudio) return;
		this.loadingAudio = true;
		this.audioError = null;
		try {
			const signed = await this.#api.recordingUrl(this.call.callId);
			this.audioUrl = signed.url;
			this.expiresAt = signed.expiresAt;
		} catch (error) {
			this.audioError = errorMessage(error);
		} finally {
			this.loadingAudio = false;
		}
	}

	/** The player could not load its URL (expired, or the network dropped): get one new URL, once. */
	async playerFailed(): Promise<boolean> {
		if (this.#retried) {
			this.audioError = 'The recording could not be played. Reload the page to try again.';
			return false;
		}
		this.#retried = true;
		await this.play();
		return this.audioUrl !== null && this.audioError === null;
	}
}

/** `4:05`, `1:02:09`; an em dash when unknown. */
export function formatSeconds(seconds: number | null): string {
	if (seconds === null) return '—';
	const s = Math.max(0, Math.round(seconds));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const ss = String(s % 60).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
