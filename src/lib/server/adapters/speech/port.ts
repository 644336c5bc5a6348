/**
 * The speech port: recordings and voicemails to text. OpenAI's transcription API in
 * production; Debian's pocketsphinx offline, which is rough on open speech but fine for
 * development, tests and the call-center phrases its language model is built from.
 */

/** The supported models, for env.ts's start-up check (code outside the adapter imports the port, not its internals). */
export { DEFAULT_TRANSCRIBE_MODEL, supportedTranscribeModels } from './models';

export interface TranscribeInput {
	/** The encoded audio file (WAV from the carrier by default), of any length: adapters split what their engine cannot take at once. */
	audio: Uint8Array;
	/** MIME type of `audio`, e.g. `audio/x-wav`, `audio/mpeg`, `audio/flac`. */
	contentType: string;
	/** ISO-639-1 code of the spoken language when known (`en`); improves accuracy and speed. */
	language?: string;
	/** Words and phrases likely to be spoken (customer and product names); a hint, never a constraint. */
	hints?: string[];
}

export interface TranscriptSegment {
	/** Seconds from the start of the audio. */
	start: number;
	end: number;
	text: string;
}

export interface Transcript {
	text: string;
	/** Which recogniser produced it, e.g. `openai/gpt-4o-transcribe` or `pocketsphinx/call-center`. */
	engine: string;
	/** Timed pieces of the transcript, when the engine reports them. */
	segments?: TranscriptSegment[];
	/** ISO-639-1 code of the language heard, when the engine says (or knows only one). */
	language?: string;
}

export interface SpeechPort {
	/** Which adapter this is, for logs and diagnostics. */
	readonly kind: 'openai' | 'local';

	/**
	 * Transcribe one audio file. Long recordings are split, never refused. Empty or undecodable
	 * audio fails with AppError BAD_REQUEST (`EMPTY_AUDIO`, `UNSUPPORTED_AUDIO`); engine failures with
	 * AdapterError. Slow: call it from a job, never inside a webhook.
	 */
	transcribe(input: TranscribeInput): Promise<Transcript>;
}
