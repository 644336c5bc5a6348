/**
 * What the caller hears, as a person would describe it: the carrier reports Say texts as they
 * are spoken and media as `[play <url>]`, `[hold music]`, `[beep]`, `[digits 12#]`. A hold loop
 * repeats the same few lines every few seconds, so the page lists each line once, in the order
 * first heard, with how many times it played, and says separately what is playing now.
 */

export type HeardKind = 'speech' | 'music' | 'tone';

export interface HeardLine {
	text: string;
	kind: HeardKind;
	/** How many times it has played so far. */
	times: number;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** One carrier line in words. */
export function describeHeard(raw: string): { text: string; kind: HeardKind } {
	if (raw === '[hold music]') return { text: 'Hold music', kind: 'music' };
	if (raw === '[beep]') return { text: 'Beep', kind: 'tone' };
	const digits = /^\[digits (.+)\]$/.exec(raw);
	if (digits?.[1]) return { text: `Key tones ${digits[1]}`, kind: 'tone' };
	const play = /^\[play (.+)\]$/.exec(raw);
	if (play?.[1]) {
		const file = safeDecode(play[1].split(/[?#]/)[0]?.split('/').pop() ?? play[1]);
		return /hold/i.test(file) ? { text: 'Hold music', kind: 'music' } : { text: `Audio: ${file}`, kind: 'music' };
	}
	return { text: raw, kind: 'speech' };
}

/** Each distinct line once, first heard first, with its play count. */
export function heardLines(heard: readonly string[]): HeardLine[] {
	const lines = new Map<string, HeardLine>();
	for (const raw of heard) {
		const { text, kind } = describeHeard(raw);
		const line = lines.get(text);
		if (line) line.times += 1;
		else lines.set(text, { text, kind, times: 1 });
	}
	return [...lines.values()];
}
