/**
 * The production language-AI adapter over @google/genai (the Gemini API). Structured calls use
 * JSON mode with the zod schema converted to JSON Schema (`responseJsonSchema`), and the reply
 * is validated with zod again. Grammar checks are one such call: the model quotes each problem
 * and the adapter finds the quote in the text, since models count character offsets badly.
 */
import { ApiError, FinishReason, GoogleGenAI, type GenerateContentResponse, type Part } from '@google/genai';
import { z } from 'zod';
import type { Config } from '../../env';
import { AdapterError } from '../errors';
import type { GenerateJsonInput, GrammarSuggestion, LanguageAiPort } from './port';
import { retryingFetch, type RetryPolicy } from './retrying-fetch';
import { assertGrammarText, tidySuggestions } from './shared';
import { errorMessage } from '../../../errors';

export type GeminiLanguageAiConfig = Omit<Extract<Config['languageAi'], { adapter: 'gemini' }>, 'adapter'>;

const GRAMMAR_SYSTEM = [
	'You proofread short messages that call-center agents send to customers by SMS.',
	'Report only real grammar, spelling, punctuation and word-choice errors; ignore style and tone.',
	'For each error give `excerpt`: the exact characters of the text that are wrong, copied verbatim and as short as possible;',
	'`message`: one sentence telling the agent what is wrong; `replacements`: corrected versions of the excerpt, best first.',
	'Return {"issues": []} when the text is correct.'
].join(' ');

const GrammarReply = z.object({
	issues: z.array(
		z.object({
			excerpt: z.string().min(1),
			message: z.string(),
			replacements: z.array(z.string())
		})
	)
});

/** JSON Schema for Gemini's `responseJsonSchema`, without the `$schema` marker it does not need. */
export function toGeminiJsonSchema(schema: z.ZodType): Record<string, unknown> {
	const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
	return rest;
}

/**
 * Audio goes inline (base64) in the request, which Gemini caps at 20 MB in all: 14 MiB of audio
 * is about 18.7 MB encoded, leaving room for the transcript and rubric. That is about 7.5 minutes
 * of two-channel 8 kHz 16-bit WAV (Twilio's dual-channel recordings); a longer call is graded from its transcript alone rather than
 * uploaded through the Files API, since the transcript carries everything the quotes need.
 */
export const MAX_INLINE_AUDIO_BYTES = 14 * 1024 * 1024;

export interface GeminiOptions extends Partial<Omit<RetryPolicy, 'attemptTimeoutMs'>> {
	/** Give up on one attempt after this long (default 60 s). */
	timeoutMs?: number;
	/** Largest audio sent inline (default MAX_INLINE_AUDIO_BYTES). */
	maxAudioBytes?: number;
}

const fail = (message: string, init: { status?: number; vendorCode?: string; retryable: boolean; cause?: unknown }) =>
	new AdapterError(message, { port: 'languageAi', adapter: 'gemini', ...init });

/** The `status` word of Gemini's error body (RESOURCE_EXHAUSTED, INVALID_ARGUMENT...); the SDK puts the body in the message. */
function errorStatus(err: ApiError): string | undefined {
	try {
		return (JSON.parse(err.message) as { error?: { status?: string } }).error?.status;
	} catch {
		return undefined;
	}
}

/**
 * A prompt Gemini blocked, or an answer it stopped early (safety, recitation, MAX_TOKENS): the
 * same request would be refused again, so these are not retryable and say why.
 */
export function refusalOf(res: GenerateContentResponse): AdapterError | null {
	const blocked = res.promptFeedback?.blockReason;
	if (blocked) {
		const detail = res.promptFeedback?.blockReasonMessage ? `: ${res.promptFeedback.blockReasonMessage}` : '';
		return fail(`Gemini blocked the prompt (${blocked})${detail}; the same input will be blocked again.`, { vendorCode: blocked, retryable: false });
	}
	const candidate = res.candidates?.[0];
	if (!candidate) return fail('Gemini returned no answer.', { vendorCode: 'NO_CANDIDATE', retryable: true });
	const reason = candidate.finishReason;
	if (!reason || reason === FinishReason.STOP) return null;
	if (reason === FinishReason.MAX_TOKENS) {
		return fail('Gemini stopped at its output token limit (MAX_TOKENS) before the answer was complete; shorten the input or ask for less.', {
			vendorCode: reason,
			retryable: false
		});
	}
	const categories = (candidate.safetyRatings ?? []).filter((r) => r.blocked).map((r) => r.category);
	const which = categories.length ? ` for ${categories.join(', ')}` : '';
	return fail(`Gemini withheld its answer (${reason}${which}); the same input will be refused again.`, { vendorCode: reason, retryable: false });
}

export class GeminiLanguageAi implements LanguageAiPort {
	readonly kind = 'gemini';
	readonly maxAudioBytes: number;
	readonly #ai: GoogleGenAI;
	readonly #model: string;

	constructor(config: GeminiLanguageAiConfig, options: GeminiOptions = {}) {
		this.#model = config.model;
		this.maxAudioBytes = options.maxAudioBytes ?? MAX_INLINE_AUDIO_BYTES;
		const policy: RetryPolicy = {
			maxAttempts: options.maxAttempts ?? 4,
			baseDelayMs: options.baseDelayMs ?? 1000,
			maxDelayMs: options.maxDelayMs ?? 30_000,
			attemptTimeoutMs: options.timeoutMs ?? 60_000
		};
		this.#ai = new GoogleGenAI({
			apiKey: config.apiKey,
			vertexai: false,
			httpOptions: {
				// Retries and per-attempt timeouts live in this fetch because it can read Retry-After and
				// the SDK's retry option cannot; the SDK's own timeout would also cut the waits short.
				fetch: retryingFetch(policy),
				...(config.baseUrl ? { baseUrl: config.baseUrl } : {})
			}
		});
	}

	async generateJson<T>(input: GenerateJsonInput<T>): Promise<T> {
		let res: GenerateContentResponse;
		try {
			res = await this.#ai.models.generateContent({
				model: this.#model,
				contents: [{ role: 'user', parts: [{ text: input.prompt }, ...this.#audioParts(input.audio)] }],
				// No temperature: Google's Gemini 3 guidance is to keep the default 1.0 (lower values can loop).
				config: { systemInstruction: input.system, responseMimeType: 'application/json', responseJsonSchema: toGeminiJsonSchema(input.schema) }
			});
		} catch (err) {
			if (err instanceof ApiError) {
				throw fail(`Gemini refused the request: ${err.message}`, { status: err.status, vendorCode: errorStatus(err), retryable: err.status === 429 || err.status >= 500, cause: err });
			}
			const reason = errorMessage(err);
			throw fail(`Gemini could not be reached: ${reason}`, { retryable: true, cause: err });
		}
		const refusal = refusalOf(res);
		if (refusal) throw refusal;
		const text = res.text;
		let value: unknown;
		try {
			value = JSON.parse(text ?? '');
		} catch {
			throw invalidOutput('is not JSON');
		}
		const parsed = input.schema.safeParse(value);
		if (!parsed.success) throw invalidOutput(`does not fit the schema: ${parsed.error.message}`);
		return parsed.data;
	}

	/** The recording as an inline part, or nothing when there is none or it is over the limit. */
	#audioParts(audio: GenerateJsonInput<unknown>['audio']): Part[] {
		if (!audio || audio.data.byteLength === 0 || audio.data.byteLength > this.maxAudioBytes) return [];
		return [{ inlineData: { mimeType: audio.mimeType, data: Buffer.from(audio.data.buffer, audio.data.byteOffset, audio.data.byteLength).toString('base64') } }];
	}

	async checkGrammar(text: string): Promise<GrammarSuggestion[]> {
		assertGrammarText(text);
		if (!text.trim()) return [];
		const reply = await this.generateJson({
			system: GRAMMAR_SYSTEM,
			prompt: text,
			schema: GrammarReply,
			local: () => ({ issues: [] })
		});
		const suggestions: GrammarSuggestion[] = [];
		let cursor = 0;
		for (const issue of reply.issues) {
			// Quotes come in reading order; search onward first so repeated words map to the right spot.
			let start = text.indexOf(issue.excerpt, cursor);
			if (start < 0) start = text.indexOf(issue.excerpt);
			if (start < 0) continue;
			cursor = start + issue.excerpt.length;
			suggestions.push({ start, end: cursor, message: issue.message, replacements: issue.replacements.filter((r) => r !== issue.excerpt) });
		}
		return tidySuggestions(suggestions);
	}

	close(): Promise<void> {
		return Promise.resolve();
	}
}

function invalidOutput(problem: string): AdapterError {
	return new AdapterError(`Gemini's reply ${problem}`, { port: 'languageAi', adapter: 'gemini', vendorCode: 'INVALID_OUTPUT', retryable: true });
}
