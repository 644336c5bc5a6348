/**
 * The review page's player: the recording's signed URL is fetched on the first play (as on the
 * timeline), and a click on a transcript line or an evidence quote seeks to its second, loading
 * the recording first when it is not loaded yet.
 */
import { RecordingPlayback } from '$lib/components/calls/recording-playback.svelte';

export class ReviewPlayer {
	audio = $state<HTMLAudioElement | null>(null);
	readonly playback: RecordingPlayback;
	#pending: number | null = null;

	constructor(callId: string) {
		this.playback = new RecordingPlayback(callId);
	}

	async seek(second: number): Promise<void> {
		if (!this.playback.url || !this.audio) {
			this.#pending = second;
			await this.playback.play();
			return;
		}
		this.audio.currentTime = second;
		await this.audio.play().catch(() => {});
	}

	/** The audio element has its metadata: apply a seek asked for before it loaded. */
	loaded(): void {
		if (this.#pending == null || !this.audio) return;
		this.audio.currentTime = this.#pending;
		this.#pending = null;
		void this.audio.play().catch(() => {});
	}
}

export function clock(seconds: number): string {
	const s = Math.max(0, Math.floor(seconds));
	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
