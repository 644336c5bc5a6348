/**
 * OpenAI transcription models the adapter supports, with what each returns and its limits.
 * OpenAI's speech-to-text guide recommends gpt-transcribe and names whisper-1, gpt-4o-transcribe
 * and gpt-4o-mini-transcribe deprecated, shutting down on 2027-02-26; gpt-4o-transcribe-diarize
 * is left out (it needs chunking_strategy and answers in its own diarized format). Every
 * upload is at most 25 MB. Checked at start by env.ts.
 */
export interface TranscribeModel {
	/** Whether it answers verbose_json with timed segments (only whisper-1 does). */
	segments: boolean;
	/** Longest audio one request may carry, in seconds (the gpt-4o family answers 400 beyond 1400 s). */
	maxSeconds: number | undefined;
	/** How hints travel: gpt-transcribe takes `keywords`, the others a free-text `prompt`. */
	hints: 'keywords' | 'prompt';
	/** The day OpenAI turns it off (YYYY-MM-DD), when announced. */
	shutdown?: string;
}

const DEPRECATED_SHUTDOWN = '2027-02-26';

export const OPENAI_TRANSCRIBE_MODELS: Record<string, TranscribeModel> = {
	'gpt-transcribe': { segments: false, maxSeconds: 1400, hints: 'keywords' },
	'gpt-4o-transcribe': { segments: false, maxSeconds: 1400, hints: 'prompt', shutdown: DEPRECATED_SHUTDOWN },
	'gpt-4o-mini-transcribe': { segments: false, maxSeconds: 1400, hints: 'prompt', shutdown: DEPRECATED_SHUTDOWN },
	'gpt-4o-mini-transcribe-2025-12-15': { segments: false, maxSeconds: 1400, hints: 'prompt', shutdown: DEPRECATED_SHUTDOWN },
	'whisper-1': { segments: true, maxSeconds: undefined, hints: 'prompt', shutdown: DEPRECATED_SHUTDOWN }
};

export const DEFAULT_TRANSCRIBE_MODEL = 'gpt-transcribe';

/** Models that can be chosen on `day` (not yet shut down). */
export function supportedTranscribeModels(day: Date = new Date()): string[] {
	const today = day.toISOString().slice(0, 10);
	return Object.entries(OPENAI_TRANSCRIBE_MODELS)
		.filter(([, m]) => !m.shutdown || today < m.shutdown)
		.map(([name]) => name);
}

/** OpenAI's request size limit for one audio upload. */
export const OPENAI_MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
