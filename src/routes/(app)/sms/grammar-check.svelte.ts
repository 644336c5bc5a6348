/**
 * Spelling and grammar suggestions for the composer: asked for after the agent pauses typing,
 * answered through tRPC (LanguageAI port). Advisory only: a slow or failed check never touches
 * sending, an answer for text that has since changed is dropped, and failures stay silent
 * (the composer just shows no suggestions).
 */
import { trpc } from '$lib/trpc';
import { liveSuggestions, replaceRange, type Suggestion } from './composer-text';

/** Pause after the last keystroke before asking. */
export const GRAMMAR_DELAY_MS = 500;

export class GrammarCheck {
	/** The text the current suggestions were made for. */
	checked = $state('');
	#all = $state<Suggestion[]>([]);
	#timer: ReturnType<typeof setTimeout> | undefined;
	#asked = 0;
	#check: (text: string) => Promise<Suggestion[]>;

	constructor(check: (text: string) => Promise<Suggestion[]> = (text) => trpc.sms.grammar.mutate({ text })) {
		this.#check = check;
	}

	/** Suggestions that still fit `text`. */
	for(text: string): Suggestion[] {
		return liveSuggestions(this.checked, text, this.#all);
	}

	/** The text changed: ask again once the agent pauses. */
	schedule(text: string, delay = GRAMMAR_DELAY_MS): void {
		clearTimeout(this.#timer);
		if (text.trim() === '') {
			this.#asked++;
			this.#all = [];
			this.checked = '';
			return;
		}
		this.#timer = setTimeout(() => void this.#run(text), delay);
	}

	async #run(text: string): Promise<void> {
		const asked = ++this.#asked;
		try {
			const found = await this.#check(text);
			if (asked !== this.#asked) return;
			this.#all = found;
			this.checked = text;
		} catch {
			// Silent by design: suggestions are a help, never a gate.
			if (asked === this.#asked) this.#all = [];
		}
	}

	/** The text with `suggestion`'s `replacement` applied, and the caret after it. */
	apply(text: string, suggestion: Suggestion, replacement: string): { text: string; caret: number } {
		const next = replaceRange(text, suggestion.start, suggestion.end, replacement);
		// The rest of the list is offset now; drop it until the next check (scheduled by the caller).
		this.#all = [];
		return next;
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#asked++;
	}
}
