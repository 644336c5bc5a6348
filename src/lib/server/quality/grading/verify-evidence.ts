/**
 * Proof that a quoted piece of evidence was really said, where and by whom the grader claims.
 *
 * A quote is kept when, after normalising both sides (lower case, punctuation and extra spaces
 * dropped, digits kept), it matches a run of words in the transcript:
 * - near its timestamp: in a line that overlaps [second - 10 s, second + 10 s] (models round
 *   and misremember by a few seconds; a quote from another part of the call is not evidence
 *   of this moment);
 * - by the speaker the grader named (same-speaker rule): a quote attributed to the agent must
 *   be in one of the agent's lines, a customer's in the customer's. Lines of a mono recording
 *   (speaker `unknown`) match either, since nothing says who spoke. Consecutive lines of the
 *   same speaker are joined, so a quote may run across a line break;
 * - closely: a run of the same number of words (one more or fewer allowed) whose characters
 *   differ from the quote's by at most 10% (edit distance), so a dropped comma, "gonna" for
 *   "going to" on one word or a transcription slip is tolerated, and a paraphrase is not;
 * - at least two words long (a lone "thanks" proves nothing).
 * The kept quote is replaced by the transcript's own words and the line's start second.
 */
export interface EvidenceLine {
	speaker: 'agent' | 'customer' | 'unknown';
	start: number;
	end: number;
	text: string;
}

export interface Quote {
	quote: string;
	second: number;
	speaker: 'agent' | 'customer';
}

export interface VerifiedQuote {
	quote: string;
	second: number;
	speaker: 'agent' | 'customer' | 'unknown';
}

export const TIME_TOLERANCE_SECONDS = 10;
export const MAX_EDIT_RATIO = 0.1;
export const MIN_QUOTE_WORDS = 2;

/** Lower case, letters and digits only, single spaces. Apostrophes vanish ("don't" = "dont"). */
export function normalise(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/['\u2019]/g, '')
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

export function editDistance(a: string, b: string): number {
	if (a === b) return 0;
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		for (let j = 1; j <= b.length; j++) {
			cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
		}
		prev = cur;
	}
	return prev[b.length]!;
}

/** Same-speaker runs of lines near `second`, each as one text with the first line's start. */
function candidateRuns(lines: readonly EvidenceLine[], quote: Quote): { text: string; start: number; speaker: EvidenceLine['speaker'] }[] {
	const lo = quote.second - TIME_TOLERANCE_SECONDS;
	const hi = quote.second + TIME_TOLERANCE_SECONDS;
	const near = lines.filter((l) => l.end >= lo && l.start <= hi && (l.speaker === quote.speaker || l.speaker === 'unknown'));
	const runs: { text: string; start: number; speaker: EvidenceLine['speaker'] }[] = [];
	for (let i = 0; i < near.length; i++) {
		runs.push({ text: near[i]!.text, start: near[i]!.start, speaker: near[i]!.speaker });
		// The line and the next of the same speaker, for a quote across a line break.
		const next = near[i + 1];
		if (next && next.speaker === near[i]!.speaker && lines.indexOf(next) === lines.indexOf(near[i]!) + 1) {
			runs.push({ text: `${near[i]!.text} ${next.text}`, start: near[i]!.start, speaker: near[i]!.speaker });
		}
	}
	return runs;
}

/** Where in `words` a run closely matching `target` (as words) sits, with its original words; null when none does. */
function closestRun(words: string[], target: string[]): { from: number; to: number } | null {
	const goal = target.join(' ');
	const budget = Math.floor(goal.length * MAX_EDIT_RATIO);
	let best: { from: number; to: number; cost: number } | null = null;
	for (let len = Math.max(1, target.length - 1); len <= target.length + 1; len++) {
		for (let from = 0; from + len <= words.length; from++) {
			const cost = editDistance(words.slice(from, from + len).join(' '), goal);
			if (cost <= budget && (!best || cost < best.cost)) best = { from, to: from + len, cost };
		}
	}
	return best;
}

/** The quote as the transcript has it, or null when it is not there (see the rules above). */
export function verifyQuote(lines: readonly EvidenceLine[], quote: Quote): VerifiedQuote | null {
	const target = normalise(quote.quote).split(' ').filter(Boolean);
	if (target.length < MIN_QUOTE_WORDS || !Number.isFinite(quote.second)) return null;
	for (const run of candidateRuns(lines, quote)) {
		const original = run.text.split(/\s+/).filter((w) => normalise(w));
		const words = original.map(normalise);
		const hit = closestRun(words, target);
		if (hit) return { quote: original.slice(hit.from, hit.to).join(' '), second: Math.floor(run.start), speaker: run.speaker };
	}
	return null;
}

/** Keeps the quotes that verify; says how many were dropped. */
export function verifyEvidence(lines: readonly EvidenceLine[], quotes: readonly Quote[]): { kept: VerifiedQuote[]; dropped: number } {
	const kept: VerifiedQuote[] = [];
	for (const q of quotes) {
		const v = verifyQuote(lines, q);
		if (v && !kept.some((k) => k.second === v.second && k.quote === v.quote)) kept.push(v);
	}
	return { kept, dropped: quotes.length - kept.length };
}
