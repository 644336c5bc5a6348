/**
 * Playing a call's recording: the signed URL is asked for only when someone presses play
 * (calls.recordingUrl: role-checked, five minutes). If the player fails after that (a late seek
 * on an expired link), one fresh URL is requested and playback resumes where it was.
 */
import { errorMessage, trpc } from '$lib/trpc';

export type SignRecording = (callId: string) => Promise<{ url: string; expiresAt: string }>;

const signWithServer: SignRecording = (callId) => trpc.calls.recordingUrl.query({ callId });

export class RecordingPlayback {
	/** The signed URL the player loads; null until play is pressed. */
	url = $state<string | null>(null);
	expiresAt = $state<string | null>(null);
	loading = $state(false);
	error = $state<string | null>(null);
	readonly callId: string;
	readonly #sign: SignRecording;
	#retried = false;

	constructor(callId: string, sign: SignRecording = signWithServer) {
		this.callId = callId;
		this.#sign = sign;
	}

	async play(): Promise<void> {
		if (this.loading) return;
		this.loading = true;
		this.error = null;
		try {
			const signed = await this.#sign(this.callId);
			this.url = signed.url;
			this.expiresAt = signed.expiresAt;
		} catch (error) {
			this.error = errorMessage(error);
		} finally {
			this.loading = false;
		}
	}

	/** The player could not load its URL: get one new URL, once. Resolves true when there is one. */
	async playerFailed(): Promise<boolean> {
		if (this.#retried) {
			this.error = 'The recording could not be played. Reload the page to try again.';
			return false;
		}
		this.#retried = true;
		await this.play();
		return this.url !== null && this.error === null;
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
