import { describe, expect, it } from 'vitest';
import { HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS, classifyKeyword } from './classify-keyword';

const variants = (word: string) => [
	word,
	word.toLowerCase(),
	word[0] + word.slice(1).toLowerCase(),
	`  ${word}  `,
	`${word}!`,
	`${word.toLowerCase()}.`,
	`"${word}"`,
	`...${word}?!`,
	`\t${word}\r\n`,
	`\u00a0${word}\u200b`,
	`${word} 👍`
];

describe('classifyKeyword', () => {
	it.each(OPT_OUT_KEYWORDS.flatMap((w) => variants(w).map((v) => [v, w])))('reads %j as opt-out %s', (body, keyword) => {
		expect(classifyKeyword(body)).toEqual({ kind: 'opt_out', keyword });
	});

	it.each(OPT_IN_KEYWORDS.flatMap((w) => variants(w).map((v) => [v, w])))('reads %j as opt-in %s', (body, keyword) => {
		expect(classifyKeyword(body)).toEqual({ kind: 'opt_in', keyword });
	});

	it.each(HELP_KEYWORDS.flatMap((w) => variants(w).map((v) => [v, w])))('reads %j as help %s', (body, keyword) => {
		expect(classifyKeyword(body)).toEqual({ kind: 'help', keyword });
	});

	it.each([
		'please stop texting',
		'stop texting me',
		'STOP STOP',
		'stop it',
		'Yes please',
		'yes, tomorrow works',
		'STOPPED',
		'STOPS',
		'sto p',
		'S.T.O.P',
		'OPT-OUT',
		'opt out',
		'un subscribe',
		'nonstop',
		'UNSTOPPABLE',
		'HELPFUL',
		'information',
		'',
		'   ',
		'!!!',
		'<script>alert(1)</script>',
		`STOP${' '.repeat(80)}`
	])('treats %j as an ordinary message', (body) => {
		expect(classifyKeyword(body)).toBeNull();
	});

	it('does not mistake other scripts or look-alike letters for a keyword', () => {
		// Cyrillic С and Т look like C and T.
		expect(classifyKeyword('\u0421\u0422OP')).toBeNull();
		expect(classifyKeyword('ＳＴＯＰ')).toBeNull();
	});
});
