/**
 * A call's transcript for the transcript view: loaded when first shown (search.transcript,
 * role-checked), copied as plain text with times and speakers.
 */
import type { TTranscriptView } from '$lib/server/trpc/routers/search';
import { errorMessage, trpc } from '$lib/trpc';
import { formatSeconds } from './recording-playback.svelte';

export type LoadTranscript = (callId: string) => Promise<TTranscriptView>;

export const SPEAKER_LABELS: Record<TTranscriptView['lines'][number]['speaker'], string> = {
	agent: 'Agent',
	customer: 'Customer',
	unknown: 'Speaker'
};

export class TranscriptState {
	view = $state<TTranscriptView | null>(null);
	loading = $state(false);
	error = $state<string | null>(null);
	copied = $state(false);
	readonly #load: LoadTranscript;

	constructor(
		readonly callId: string,
		load: LoadTranscript = (id) => trpc.search.transcript.query({ callId: id })
	) {
		this.#load = load;
	}

	async load(): Promise<void> {
		if (this.loading || this.view) return;
		this.loading = true;
		this.error = null;
		try {
			this.view = await this.#load(this.callId);
		} catch (error) {
			this.error = errorMessage(error);
		} finally {
			this.loading = false;
		}
	}

	/** `[0:05] Customer: text` per line. */
	get plainText(): string {
		return (this.view?.lines ?? []).map((l) => `[${formatSeconds(l.start)}] ${SPEAKER_LABELS[l.speaker]}: ${l.text}`).join('\n');
	}

	async copy(write: (text: string) => Promise<void> = (text) => navigator.clipboard.writeText(text)): Promise<void> {
		try {
			await write(this.plainText);
			this.copied = true;
		} catch {
			this.error = 'The transcript could not be copied; select the lines and copy them instead.';
		}
	}
}
