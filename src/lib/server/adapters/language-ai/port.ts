/**
 * The language-AI port: grammar suggestions for agents' outgoing texts, and structured JSON
 * answers (grading, summaries) validated against a zod schema. Gemini in production; offline,
 * harper.js checks grammar and every structured call runs its caller's own rules.
 */
import type { z } from 'zod';

/** The supported models, for env.ts's start-up check (code outside the adapter imports the port, not its internals). */
export { DEFAULT_GEMINI_MODEL, GEMINI_MODELS } from './models';

export interface GrammarSuggestion {
	/** UTF-16 offsets into the checked text (JavaScript string indices), end exclusive. */
	start: number;
	end: number;
	/** What is wrong, in a sentence an agent understands. */
	message: string;
	/** Candidate texts for `text.slice(start, end)`, best first; may be empty. `''` means delete. */
	replacements: string[];
}

/** A recording sent along with a prompt (the model hears tone and pauses a transcript loses). */
export interface AudioInput {
	data: Uint8Array;
	/** e.g. `audio/wav`, `audio/mpeg`. */
	mimeType: string;
}

export interface GenerateJsonInput<T> {
	/** Standing instructions: role, rubric, output rules. */
	system: string;
	/** The material to work on (transcript, message thread...). */
	prompt: string;
	/** The answer's shape; the result is parsed with it, so callers get a typed, checked value. */
	schema: z.ZodType<T>;
	/**
	 * The offline answer, computed by deterministic rules from the same input. Required: a
	 * generic model cannot be imitated locally, so each caller states what its feature does
	 * without one (keyword scoring, first-sentence summary...). Only the local twin calls it.
	 */
	local: (input: { system: string; prompt: string }) => T | Promise<T>;
	/**
	 * Optional audio for the model to hear with the prompt. An adapter sends it only when it is
	 * at most `maxAudioBytes`; otherwise (and offline) the answer comes from the prompt alone.
	 */
	audio?: AudioInput;
}

export interface LanguageAiPort {
	/** Which adapter this is, for logs and diagnostics. */
	readonly kind: 'gemini' | 'local';

	/**
	 * The largest audio (bytes) this adapter sends with a prompt; 0 when it takes none, so a
	 * caller need not read a recording it would not send.
	 */
	readonly maxAudioBytes: number;

	/**
	 * Grammar, spelling and usage problems in `text` (at most 20,000 characters), ordered by
	 * position, never overlapping. An empty list means nothing to fix.
	 */
	checkGrammar(text: string): Promise<GrammarSuggestion[]>;

	/**
	 * One structured answer: the model replies in JSON constrained by `schema`, and the reply is
	 * validated with it. A reply that does not fit fails with a retryable AdapterError
	 * (vendorCode `INVALID_OUTPUT`). Slow: call it from a job or an explicit user action.
	 */
	generateJson<T>(input: GenerateJsonInput<T>): Promise<T>;

	/** Release engines (harper's WebAssembly instance, HTTP agents). */
	close(): Promise<void>;
}
