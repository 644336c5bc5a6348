/**
 * The offline grader on scripted calls it was not written from line by line: its scores agree
 * with the intended ones (every category within one point, most exactly), and every quote it
 * gives passes the same evidence check a model's quotes must pass.
 */
import { describe, expect, it } from 'vitest';
import { SCORE_CATEGORIES } from '$lib/quality/categories';
import { gradeLocally } from './local-grader';
import { SCRIPTED_CALLS } from './scripted-calls';
import { verifyQuote } from './verify-evidence';

describe('local grader on scripted calls', () => {
	const results = SCRIPTED_CALLS.map((call) => ({ call, grade: gradeLocally(call.lines) }));

	it.each(SCRIPTED_CALLS.map((c) => [c.name, c] as const))('%s: every category within one point of the intended score', (_name, call) => {
		const grade = gradeLocally(call.lines);
		for (const c of SCORE_CATEGORIES) {
			expect(Math.abs(grade[c].score - call.expected[c]), `${c}: graded ${grade[c].score}, intended ${call.expected[c]}`).toBeLessThanOrEqual(1);
		}
	});

	it('agrees exactly on at least three in four category scores overall', () => {
		const pairs = results.flatMap(({ call, grade }) => SCORE_CATEGORIES.map((c) => [grade[c].score, call.expected[c]] as const));
		const exact = pairs.filter(([a, b]) => a === b).length / pairs.length;
		expect(exact).toBeGreaterThanOrEqual(0.75);
	});

	it('quotes only lines that exist, at their second and speaker', () => {
		for (const { call, grade } of results) {
			for (const c of SCORE_CATEGORIES) {
				for (const ev of grade[c].evidence) expect(verifyQuote(call.lines, ev), `${call.name} ${c}: ${ev.quote}`).not.toBeNull();
			}
		}
	});

	it('separates the best call from the worst in every category', () => {
		const best = gradeLocally(SCRIPTED_CALLS[0]!.lines);
		const worst = gradeLocally(SCRIPTED_CALLS[1]!.lines);
		for (const c of SCORE_CATEGORIES) expect(best[c].score).toBeGreaterThan(worst[c].score + 2);
	});
});
