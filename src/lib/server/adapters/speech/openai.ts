/**
 * The production speech adapter over OpenAI's audio transcription endpoint. `whisper-1` is
 * asked for verbose JSON with timed segments; the gpt transcribe models return text only.
 * Hints travel as `keywords` (gpt-transcribe) or the `prompt`, which bias spelling of names.
 *
 * A recording over the upload size (25 MB) or the model's duration limit is never refused: it
 * is cut into pieces with sox, each piece transcribed, and the texts joined with segment times
 * shifted by where each piece starts. When OpenAI still answers that the audio is too long (its
 * limits move), the recording is cut to the limit the error names and sent again.
 */
import OpenAI, { APIError, toFile } from 'openai';
import type { Config } from '../../env';
import { AdapterError } from '../errors';
import { OPENAI_MAX_UPLOAD_BYTES, OPENAI_TRANSCRIBE_MODELS, type TranscribeModel } from './models';
import type { SpeechPort, Transcript, TranscribeInput, TranscriptSegment } from './port';
import { assertTranscribeInput, audioFileName } from './shared';
import { audioDuration, splitAudio, type AudioPiece, type SplitLimits } from './split-audio';
import { errorMessage } from '../../../errors';

export type OpenAiSpeechConfig = Omit<Extract<Config['speech'], { adapter: 'openai' }>, 'adapter'>;

export interface OpenAiSpeechOptions {
	maxRetries?: number;
	/** Per-attempt timeout (default 120 s). */
	timeoutMs?: number;
	/** Upload size limit to split under (default OpenAI's 25 MB). */
	maxUploadBytes?: number;
	/** Duration limit to split under, overriding the model's. */
	maxSeconds?: number;
}

type Piece = Pick<AudioPiece, 'audio' | 'offset'> & { contentType: string };

/** "audio duration 1830.5 seconds is longer than 1400 seconds which is the maximum for this model" */
function durationLimitFrom(err: unknown): number | undefined {
	if (!(err instanceof APIError) || err.status !== 400) return undefined;
	const m = /longer than (\d+(?:\.\d+)?) seconds/.exec(err.message);
	return m ? Number(m[1]) : undefined;
}

function failure(err: unknown): AdapterError {
	if (err instanceof APIError && typeof err.status === 'number') {
		return new AdapterError(`OpenAI refused to transcribe: ${err.message}`, {
			port: 'speech',
			adapter: 'openai',
			status: err.status,
			vendorCode: typeof err.code === 'string' ? err.code : undefined,
			cause: err
		});
	}
	const reason = errorMessage(err);
	return new AdapterError(`OpenAI could not be reached to transcribe: ${reason}`, { port: 'speech', adapter: 'openai', retryable: true, cause: err });
}

/** whisper-1's verbose_json names the language in English ("english"); the archive keeps ISO-639-1. */
const LANGUAGE_CODES: Record<string, string> = {
	english: 'en',
	spanish: 'es',
	french: 'fr',
	german: 'de',
	italian: 'it',
	portuguese: 'pt',
	dutch: 'nl',
	polish: 'pl',
	chinese: 'zh',
	japanese: 'ja'
};

export function languageCode(name: string | undefined): string | undefined {
	if (!name) return undefined;
	const lower = name.trim().toLowerCase();
	return /^[a-z]{2}$/.test(lower) ? lower : LANGUAGE_CODES[lower];
}

type Part = { offset: number; text: string; segments?: TranscriptSegment[]; language?: string };

function merge(engine: string, parts: Part[], withSegments: boolean, asked: string | undefined): Transcript {
	const language = asked ?? parts.find((p) => p.language)?.language;
	const text = parts
		.map((p) => p.text)
		.filter(Boolean)
		.join(' ');
	const lang = language ? { language } : {};
	if (!withSegments) return { text, engine, ...lang };
	const segments = parts.flatMap((p) => (p.segments ?? []).map((s) => ({ start: s.start + p.offset, end: s.end + p.offset, text: s.text })));
	return { text, engine, segments, ...lang };
}

export class OpenAiSpeech implements SpeechPort {
	readonly kind = 'openai';
	readonly #client: OpenAI;
	readonly #model: string;
	readonly #spec: TranscribeModel;
	readonly #limits: SplitLimits;

	constructor(config: OpenAiSpeechConfig, options: OpenAiSpeechOptions = {}) {
		this.#model = config.model;
		this.#spec = OPENAI_TRANSCRIBE_MODELS[config.model] ?? { segments: false, maxSeconds: 1400, hints: 'prompt' };
		this.#limits = { maxBytes: options.maxUploadBytes ?? OPENAI_MAX_UPLOAD_BYTES, maxSeconds: options.maxSeconds ?? this.#spec.maxSeconds };
		this.#client = new OpenAI({
			apiKey: config.apiKey,
			// Explicit, so the SDK does not pick a base URL up from the environment by itself.
			baseURL: config.baseUrl ?? 'https://api.openai.com/v1',
			// The SDK retries 408, 409, 429 and 5xx with backoff, honouring Retry-After.
			maxRetries: options.maxRetries ?? 2,
			timeout: options.timeoutMs ?? 120_000
		});
	}

	async transcribe(input: TranscribeInput): Promise<Transcript> {
		assertTranscribeInput(input);
		let pieces: Piece[] = (await this.#fits(input)) ? [{ audio: input.audio, contentType: input.contentType, offset: 0 }] : await splitAudio(input.audio, input.contentType, this.#limits);
		try {
			return await this.#transcribePieces(pieces, input);
		} catch (err) {
			const limit = durationLimitFrom(err);
			if (limit === undefined) throw failure(err);
			pieces = await splitAudio(input.audio, input.contentType, { ...this.#limits, maxSeconds: Math.min(limit, this.#limits.maxSeconds ?? limit) });
			return this.#transcribePieces(pieces, input).catch((again: unknown) => {
				throw failure(again);
			});
		}
	}

	/** Whether the recording can go up as it is; a format sox cannot read is sent and left to OpenAI. */
	async #fits(input: TranscribeInput): Promise<boolean> {
		if (input.audio.byteLength > this.#limits.maxBytes) return false;
		if (this.#limits.maxSeconds === undefined) return true;
		const seconds = await audioDuration(input.audio, input.contentType);
		return seconds === undefined || seconds <= this.#limits.maxSeconds;
	}

	async #transcribePieces(pieces: Piece[], input: TranscribeInput): Promise<Transcript> {
		const parts: Part[] = [];
		// One at a time: pieces of one recording share the account's rate limit.
		for (const piece of pieces) parts.push({ offset: piece.offset, ...(await this.#transcribeOne(piece, input)) });
		return merge(`openai/${this.#model}`, parts, this.#spec.segments, input.language);
	}

	async #transcribeOne(piece: Piece, input: TranscribeInput): Promise<Omit<Part, 'offset'>> {
		const file = await toFile(piece.audio, audioFileName(piece.contentType), { type: piece.contentType });
		const hints = input.hints?.length ? (this.#spec.hints === 'keywords' ? { keywords: input.hints } : { prompt: input.hints.join(', ') }) : {};
		const common = { file, model: this.#model, ...(input.language ? { language: input.language } : {}), ...hints };
		if (this.#spec.segments) {
			const res = await this.#client.audio.transcriptions.create({ ...common, response_format: 'verbose_json', timestamp_granularities: ['segment'] });
			const language = languageCode(res.language);
			return {
				text: res.text.trim(),
				segments: (res.segments ?? []).map((s) => ({ start: s.start, end: s.end, text: s.text.trim() })),
				...(language ? { language } : {})
			};
		}
		const res = await this.#client.audio.transcriptions.create({ ...common, response_format: 'json' });
		return { text: res.text.trim() };
	}
}
