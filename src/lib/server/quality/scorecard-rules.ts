/**
 * What a scorecard must hold: each score a whole number from 1 to 5, feedback for any score at
 * 1 or 2, and on submit all five categories. Every problem is named with its category, so the
 * form can point at the field.
 */
import { CATEGORY_LABELS, FEEDBACK_REQUIRED_AT, SCORE_CATEGORIES, type ScoreCategory } from '$lib/quality/categories';
import { badRequest } from '../errors';

export type Scores = Partial<Record<ScoreCategory, number | null>>;
export type Feedback = Partial<Record<ScoreCategory, string>>;

export interface ScorecardInput {
	scores: Scores;
	feedback: Feedback;
	coachingNotes: string;
}

export const MAX_FEEDBACK = 2000;
export const MAX_COACHING = 4000;

/** Throws BAD_REQUEST naming the first category at fault; `submit` also requires every category. */
export function assertScorecard(input: ScorecardInput, submit: boolean): void {
	for (const category of SCORE_CATEGORIES) {
		const label = CATEGORY_LABELS[category];
		const value = input.scores[category];
		const feedback = (input.feedback[category] ?? '').trim();
		if (value == null) {
			if (submit) throw badRequest('CATEGORY_MISSING', `Score ${label} before submitting: every category needs a score from 1 to 5.`, { category });
			continue;
		}
		if (!Number.isInteger(value) || value < 1 || value > 5) {
			throw badRequest('SCORE_OUT_OF_RANGE', `${label} is scored ${value}; scores are whole numbers from 1 to 5.`, { category });
		}
		if (value <= FEEDBACK_REQUIRED_AT && !feedback && submit) {
			throw badRequest('FEEDBACK_REQUIRED', `${label} is scored ${value}: write feedback saying what to improve (required at 1 or 2).`, { category });
		}
		if (feedback.length > MAX_FEEDBACK) throw badRequest('FEEDBACK_TOO_LONG', `Feedback for ${label} is over ${MAX_FEEDBACK} characters.`, { category });
	}
	for (const key of Object.keys(input.scores)) {
		if (!(SCORE_CATEGORIES as readonly string[]).includes(key)) throw badRequest('UNKNOWN_CATEGORY', `There is no category "${key}".`, { category: key });
	}
	if (input.coachingNotes.length > MAX_COACHING) throw badRequest('COACHING_TOO_LONG', `Coaching notes are at most ${MAX_COACHING} characters.`);
}
