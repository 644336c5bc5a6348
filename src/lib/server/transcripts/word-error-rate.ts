/**
 * Word error rate: (substitutions + deletions + insertions) / words said, on lower-cased words
 * with punctuation dropped, the usual measure of a recogniser against a known script. Used by
 * the accuracy test and the bench.
 */

export function words(text: string): string[] {
	return text
		.toLowerCase()
		.replace(/[^\p{L}\p{N}' ]+/gu, ' ')
		.split(/\s+/)
		.filter(Boolean);
}

/** Word-level edit distance between what was said and what was heard. */
export function wordErrors(said: string, heard: string): { errors: number; words: number } {
	const ref = words(said);
	const hyp = words(heard);
	let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
	for (let i = 1; i <= ref.length; i++) {
		const row = [i];
		for (let j = 1; j <= hyp.length; j++) {
			row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
		}
		previous = row;
	}
	return { errors: previous[hyp.length]!, words: ref.length };
}

/** WER over several (said, heard) pairs, weighted by words said. */
export function wordErrorRate(pairs: readonly { said: string; heard: string }[]): number {
	let errors = 0;
	let total = 0;
	for (const { said, heard } of pairs) {
		const r = wordErrors(said, heard);
		errors += r.errors;
		total += r.words;
	}
	return total === 0 ? 0 : errors / total;
}
