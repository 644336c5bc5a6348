/**
 * The production language-AI adapter over @google/genai (the Gemini API). Structured calls use
 * JSON mode with the zod schema converted to JSON Schema (`responseJsonSchema`), and the reply
 * is validated with zod again. Grammar checks are one such call: the model quotes each problem
 * and the adapter finds the quote in the text, since models count character offsets badly.
 */
import { ApiError, GoogleGenAI } from '@google/genai';
import { z } from 'zod';
import type { Config } from '../../env';
import { AdapterError } from '../errors';
import type { GenerateJsonInput, GrammarSuggestion, LanguageAiPort } from './port';
import { assertGrammarText, tidySuggestions } from './shared';

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

export class GeminiLanguageAi implements LanguageAiPort {
	readonly kind = 'gemini';
	readonly #ai: GoogleGenAI;
	readonly #model: string;

	constructor(config: GeminiLanguageAiConfig) {
		this.#model = config.model;
		this.#ai = new GoogleGenAI({
			apiKey: config.apiKey,
			vertexai: false,
			httpOptions: { timeout: 60_000, ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}) }
		});
	}

	async generateJson<T>(input: GenerateJsonInput<T>): Promise<T> {
		let text: string | undefined;
		try {
			const res = await this.#ai.models.generateContent({
				model: this.#model,
				contents: input.prompt,
				config: {
					systemInstruction: input.system,
					responseMimeType: 'application/json',
					responseJsonSchema: toGeminiJsonSchema(input.schema),
					temperature: 0
				}
			});
			text = res.text;
		} catch (err) {
			if (err instanceof ApiError) {
				throw new AdapterError(`Gemini refused the request: ${err.message}`, {
					port: 'languageAi',
					adapter: 'gemini',
					status: err.status,
					cause: err
				});
			}
			const reason = err instanceof Error ? err.message : String(err);
			throw new AdapterError(`Gemini could not be reached: ${reason}`, { port: 'languageAi', adapter: 'gemini', retryable: true, cause: err });
		}
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
