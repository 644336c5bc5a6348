/**
 * Blind calibration: a grader opens a round on a call; each grader scores it on their own card
 * for that round, seeing nobody else's until they have submitted; then the round shows every
 * submitted score side by side with the spread (lowest, highest, range) per category.
 */
import { and, asc, eq } from 'drizzle-orm';
import { SCORE_CATEGORIES, type ScoreCategory } from '$lib/quality/categories';
import type { Db, Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { calibrations, scorecards } from '../db/schema/quality';
import { calls } from '../db/schema/calls';
import { notFound } from '../errors';
import { assertGrader, scorecardColumns, toView, type ScorecardView, type Viewer } from './scorecards';

export interface CalibrationView {
	id: string;
	callId: string;
	createdAt: Date;
	/** Graders who have submitted (names only while the viewer's own score is not in). */
	submittedBy: string[];
	mine: ScorecardView | null;
	/** Everyone's submitted cards: empty until the viewer has submitted their own. */
	cards: ScorecardView[];
	spread: Record<ScoreCategory, { min: number; max: number; range: number; scores: number[] }> | null;
}

export async function startCalibration(db: Db, viewer: Viewer, callId: string): Promise<{ id: string }> {
	assertGrader(viewer);
	const [call] = await db.select({ id: calls.id, agentId: calls.agentId }).from(calls).where(eq(calls.id, callId));
	if (!call) throw notFound('CALL_NOT_FOUND', 'No such call.');
	const [row] = await db.insert(calibrations).values({ callId, createdBy: viewer.id }).returning({ id: calibrations.id });
	return row!;
}

export async function listCalibrations(db: Db | Tx, viewer: Viewer, callId: string): Promise<{ id: string; createdAt: Date }[]> {
	assertGrader(viewer);
	return db.select({ id: calibrations.id, createdAt: calibrations.createdAt }).from(calibrations).where(eq(calibrations.callId, callId)).orderBy(asc(calibrations.createdAt));
}

export function spreadOf(cards: Pick<ScorecardView, 'scores'>[]): CalibrationView['spread'] {
	if (cards.length === 0) return null;
	return Object.fromEntries(
		SCORE_CATEGORIES.map((c) => {
			const scores = cards.map((k) => k.scores[c]).filter((s): s is number => s != null);
			const min = Math.min(...scores);
			const max = Math.max(...scores);
			return [c, { min, max, range: max - min, scores }];
		})
	) as NonNullable<CalibrationView['spread']>;
}

export async function getCalibration(db: Db | Tx, viewer: Viewer, id: string): Promise<CalibrationView> {
	assertGrader(viewer);
	const [round] = await db.select().from(calibrations).where(eq(calibrations.id, id));
	if (!round) throw notFound('CALIBRATION_NOT_FOUND', 'No such calibration round.');
	const rows = (
		await db.select(scorecardColumns).from(scorecards).leftJoin(user, eq(user.id, scorecards.agentId)).where(and(eq(scorecards.calibrationId, id))).orderBy(asc(scorecards.submittedAt))
	).map(toView);
	const mine = rows.find((r) => r.reviewerId === viewer.id) ?? null;
	const submitted = rows.filter((r) => r.status === 'submitted');
	const open = mine?.status === 'submitted';
	return {
		id: round.id,
		callId: round.callId,
		createdAt: round.createdAt,
		submittedBy: submitted.map((r) => r.reviewerName ?? 'a grader'),
		mine,
		cards: open ? submitted : [],
		spread: open ? spreadOf(submitted) : null
	};
}
