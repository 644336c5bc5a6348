/**
 * Sensitive numbers out of transcripts before they are stored (and so before search indexes
 * them): a run of digits that looks like a payment card number or a US social security number
 * has every digit replaced by `#`. Recognisers write digits as numerals ("4111 1111 ...") or as
 * words ("four one one one ..."), with spaces, dashes, dots or commas between groups, so a run
 * is any sequence of numerals and digit words ("zero" to "nine", "oh") joined by those.
 *
 * A run is masked when it holds 13 or more digits (card numbers are 13-19; a card read out with
 * its expiry and security code runs longer, and no harmless number in a call is that long) or
 * exactly 9 (an SSN, 123-45-6789 or read out; a 9-digit order number is masked too, on the safe
 * side). Phone numbers (10-11 digits), amounts, times and dates stay as they were.
 */

const DIGIT_WORDS = ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TOKEN = `(?:\\d+|(?:${DIGIT_WORDS.join('|')})\\b)`;
/** A token starts at a word boundary (not inside "someone"), then further tokens after separators. */
const RUN = new RegExp(`(?<![\\p{L}\\p{N}])${TOKEN}(?:[\\s.,\\-]+${TOKEN})*`, 'giu');
const TOKEN_IN_RUN = new RegExp(TOKEN, 'giu');

export const MASK_CHAR = '#';

function digitCount(run: string): number {
	let n = 0;
	for (const token of run.match(TOKEN_IN_RUN) ?? []) n += /^\d+$/.test(token) ? token.length : 1;
	return n;
}

function sensitive(digits: number): boolean {
	return digits >= 13 || digits === 9;
}

/** `text` with card-number-like and SSN-like digit runs masked; everything else untouched. */
export function maskSensitiveNumbers(text: string): string {
	return text.replace(RUN, (run) => {
		if (!sensitive(digitCount(run))) return run;
		return run.replace(TOKEN_IN_RUN, (token) => (/^\d+$/.test(token) ? MASK_CHAR.repeat(token.length) : MASK_CHAR));
	});
}

/**
 * Masks consecutive lines of one speaker as one text, so a number read out across two lines
 * (the recogniser cut a segment mid-number) is still caught; returns the lines in order.
 */
export function maskLines(lines: readonly string[]): string[] {
	const joined = lines.map((line) => line.replace(/\s+/g, ' ').trim()).join('\n');
	return maskSensitiveNumbers(joined).split('\n');
}
