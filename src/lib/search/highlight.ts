/**
 * Search snippets travel as plain text with two private-use characters around each match
 * (ts_headline's StartSel/StopSel); they are split into parts here and the UI renders each part
 * as a text node, the marked ones inside <mark>. No HTML is ever produced or parsed, so a
 * `<script>` in a transcript or a text stays the words `<script>`.
 */

/** Opens a highlight (U+E000, private use: never typed by people, stripped from sources before ts_headline). */
export const MARK_START = '\uE000';
/** Closes a highlight (U+E001). */
export const MARK_STOP = '\uE001';

export interface SnippetPart {
	text: string;
	mark: boolean;
}

/**
 * `before\uE000match\uE001after` -> [{before}, {match, mark}, {after}]. Unbalanced markers are
 * treated as text boundaries only (never shown), so a truncated fragment still splits sanely.
 */
export function splitSnippet(snippet: string): SnippetPart[] {
	const parts: SnippetPart[] = [];
	let mark = false;
	let text = '';
	const flush = () => {
		if (!text) return;
		const last = parts.at(-1);
		if (last && last.mark === mark) last.text += text;
		else parts.push({ text, mark });
		text = '';
	};
	for (const ch of snippet) {
		if (ch === MARK_START || ch === MARK_STOP) {
			flush();
			mark = ch === MARK_START;
		} else text += ch;
	}
	flush();
	return parts;
}

/** Removes the marker characters from source text, so only ts_headline's can open a highlight. */
export function stripMarkers(text: string): string {
	return text.replaceAll(MARK_START, '').replaceAll(MARK_STOP, '');
}
