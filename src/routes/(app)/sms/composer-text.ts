/**
 * The composer's text rules, kept pure for tests: the slash command (`/word` at the caret opens
 * the canned-response picker), inserting a filled response in its place, and which grammar
 * suggestions still fit the text the agent has now.
 */

export interface SlashToken {
	/** Where the `/` is. */
	start: number;
	/** The caret (end of the token). */
	end: number;
	/** What follows the slash, to filter responses by. */
	query: string;
}

/** The `/query` just before the caret, when it starts the text or follows whitespace. */
export function slashTokenAt(text: string, caret: number): SlashToken | null {
	const before = text.slice(0, caret);
	const match = /(^|\s)\/([^\s/]{0,40})$/.exec(before);
	if (!match) return null;
	const query = match[2] ?? '';
	return { start: caret - query.length - 1, end: caret, query };
}

export interface Pickable {
	id: string;
	title: string;
	body: string;
}

/** Responses whose title (first) or text has every word of the query, case-insensitive. */
export function filterCanned<T extends Pickable>(list: readonly T[], query: string): T[] {
	const words = query.toLowerCase().split(/[\s-_]+/).filter(Boolean);
	if (words.length === 0) return [...list];
	const inTitle = (r: T) => words.every((w) => r.title.toLowerCase().includes(w));
	const inBody = (r: T) => words.every((w) => `${r.title} ${r.body}`.toLowerCase().includes(w));
	return [...list.filter(inTitle), ...list.filter((r) => !inTitle(r) && inBody(r))];
}

/** Put `insert` in place of [start, end); returns the new text and where the caret goes. */
export function replaceRange(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
	return { text: text.slice(0, start) + insert + text.slice(end), caret: start + insert.length };
}

export interface Suggestion {
	start: number;
	end: number;
	message: string;
	replacements: string[];
}

/**
 * The suggestions made for `checked` that still apply to `current`: the text up to the end of
 * each span is unchanged (typing further on keeps earlier suggestions; editing before a span
 * drops it until the next check).
 */
export function liveSuggestions<T extends Suggestion>(checked: string, current: string, suggestions: readonly T[]): T[] {
	return suggestions.filter((s) => s.end <= current.length && current.slice(0, s.end) === checked.slice(0, s.end));
}
