/**
 * The rule that keeps summaries honest: every number a summary states must be one of the
 * computed metrics (or the period's dates, or the 1-5 scale), allowing for the rounding a
 * writer does: "4.2" for 4.23, "5 minutes" for 312 seconds, "85%" for 0.85, "down 0.3" for
 * -0.3. Numbers written as words count too ("twelve calls").
 */
import type { Metrics, Period } from './metrics';

const WORDS: Record<string, number> = {
	zero: 0, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13,
	fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50,
	sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100, dozen: 12, half: 0.5
};

export interface StatedNumber {
	text: string;
	value: number;
	decimals: number;
	percent: boolean;
}

/** Every number in the text: digits (with separators, decimals, a sign, a %), and number words. */
export function statedNumbers(text: string): StatedNumber[] {
	const out: StatedNumber[] = [];
	for (const m of text.matchAll(/(?<![\w.])[-+−]?\d[\d,]*(?:\.\d+)?\s?%?/g)) {
		const raw = m[0].trim();
		const percent = raw.endsWith('%');
		const digits = raw.replace(/[%,+\s]/g, '').replace('−', '-');
		const decimals = digits.includes('.') ? digits.split('.')[1]!.length : 0;
		out.push({ text: raw, value: Math.abs(Number(digits)), decimals, percent });
	}
	for (const m of text.toLowerCase().matchAll(/\b[a-z]+\b/g)) {
		const value = WORDS[m[0]];
		if (value !== undefined) out.push({ text: m[0], value, decimals: value % 1 ? 1 : 0, percent: false });
	}
	return out;
}

/** Values a number may legitimately stand for: each metric as is, as a percent, seconds as minutes, and the period's dates. */
function allowedValues(metrics: Metrics, period: Period): number[] {
	const values = [1, 5];
	for (const [key, v] of Object.entries(metrics)) {
		if (v == null) continue;
		values.push(Math.abs(v), Math.abs(v) * 100);
		if (key.endsWith('Seconds')) values.push(v / 60, Math.floor(v / 60), v % 60);
	}
	for (const d of [period.from, new Date(period.to.getTime() - 1)]) values.push(d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCFullYear());
	return values;
}

const roundTo = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

/** Numbers in `text` that are not in the metrics (empty: the text may be shown). */
export function unsupportedNumbers(text: string, metrics: Metrics, period: Period): string[] {
	const allowed = allowedValues(metrics, period);
	return statedNumbers(text)
		.filter((n) => !allowed.some((v) => roundTo(v, n.decimals) === n.value || Math.abs(v - n.value) < 1e-9))
		.map((n) => n.text);
}
