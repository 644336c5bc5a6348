/** Rules both language-AI adapters share: input limits and tidying suggestion lists. */
import { badRequest } from '../../errors';
import type { GrammarSuggestion } from './port';

export const MAX_GRAMMAR_TEXT = 20_000;

export function assertGrammarText(text: string): void {
	if (text.length > MAX_GRAMMAR_TEXT) {
		throw badRequest('TEXT_TOO_LONG', `Grammar checks take at most ${MAX_GRAMMAR_TEXT} characters; this text has ${text.length}.`);
	}
}

/** Sort by position and drop suggestions overlapping an earlier one, so a UI can apply them all. */
export function tidySuggestions(suggestions: GrammarSuggestion[]): GrammarSuggestion[] {
	const sorted = [...suggestions].sort((a, b) => a.start - b.start || a.end - b.end);
	const out: GrammarSuggestion[] = [];
	for (const s of sorted) {
		const last = out[out.length - 1];
		if (last && s.start < last.end) continue;
		out.push(s);
	}
	return out;
}
