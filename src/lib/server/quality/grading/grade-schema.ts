/** The answer every grader gives (Gemini through its JSON schema, the local rules directly). */
import { z } from 'zod';
import { SCORE_CATEGORIES, type ScoreCategory } from '$lib/quality/categories';

export const ZEvidence = z.object({
	quote: z.string().min(1).max(400).describe('Words copied exactly from one transcript line'),
	second: z.number().min(0).describe('The start second shown in brackets before that line'),
	speaker: z.enum(['agent', 'customer']).describe('Who said it')
});

export const ZCategoryGrade = z.object({
	score: z.int().min(1).max(5),
	justification: z.string().min(1).max(600),
	evidence: z.array(ZEvidence).max(4)
});
export type CategoryGrade = z.infer<typeof ZCategoryGrade>;

export const ZGrade = z.object(Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, ZCategoryGrade])) as Record<ScoreCategory, typeof ZCategoryGrade>);
export type Grade = z.infer<typeof ZGrade>;
