/**
 * Scorecards: a manager's or supervisor's review of one call. Saved as a draft any number of
 * times, then submitted once; a submitted card is never edited (the agent's comments and the
 * manager's answers carry the conversation from there). Agents read only their own submitted
 * cards outside calibration (policy rule `scorecard-reader`).
 */
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { roleAllows, type Role } from '$lib/roles';
import { SCORE_CATEGORIES, type ScoreCategory } from '$lib/quality/categories';
import type { Db, Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { calls } from '../db/schema/calls';
import { calibrations, scorecards } from '../db/schema/quality';
import { AppError, badRequest, notFound } from '../errors';
import { currentAnchors } from './anchors';
import { assertScorecard, type Feedback, type ScorecardInput, type Scores } from './scorecard-rules';

export interface Viewer {
	id: string;
	role: Role;
}

export type ScorecardRow = typeof scorecards.$inferSelect;

export interface ScorecardView {
	id: string;
	callId: string;
	agentId: string;
	agentName: string | null;
	reviewerId: string;
	reviewerName: string | null;
	calibrationId: string | null;
	anchorVersion: number;
	status: 'draft' | 'submitted';
	scores: Scores;
	feedback: Feedback;
	coachingNotes: string;
	submittedAt: Date | null;
	acknowledgedAt: Date | null;
	disputeStatus: string | null;
	createdAt: Date;
}

export const scoresOf = (row: Pick<ScorecardRow, ScoreCategory>): Scores => Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, row[c]]));

const reviewer = sql<string | null>`(select name from "user" r where r.id = ${scorecards.reviewerId})`;

export const scorecardColumns = {
	row: scorecards,
	agentName: user.name,
	reviewerName: reviewer
};

export function toView(r: { row: ScorecardRow; agentName: string | null; reviewerName: string | null }): ScorecardView {
	const { row } = r;
	return {
		id: row.id,
		callId: row.callId,
		agentId: row.agentId,
		agentName: r.agentName,
		reviewerId: row.reviewerId,
		reviewerName: r.reviewerName,
		calibrationId: row.calibrationId,
		anchorVersion: row.anchorVersion,
		status: row.status,
		scores: scoresOf(row),
		feedback: row.feedback,
		coachingNotes: row.coachingNotes,
		submittedAt: row.submittedAt,
		acknowledgedAt: row.acknowledgedAt,
		disputeStatus: row.disputeStatus,
		createdAt: row.createdAt
	};
}

export function assertGrader(viewer: Viewer): void {
	if (!roleAllows('manager', viewer.role)) {
		throw new AppError('FORBIDDEN', 'GRADERS_ONLY', `Only managers and supervisors grade calls; you are signed in as ${viewer.role}.`);
	}
}

export interface SaveScorecardInput extends ScorecardInput {
	callId: string;
	calibrationId?: string | null;
	submit: boolean;
}

const submittedConflict = (at: Date | null) =>
	new AppError(
		'CONFLICT',
		'SCORECARD_SUBMITTED',
		`This scorecard was submitted${at ? ` on ${at.toISOString().slice(0, 10)}` : ''} and can no longer be edited; add a comment to it instead.`
	);

/**
 * Creates or updates the grader's card for the call (and calibration round): one atomic upsert
 * that only touches a draft, so a save racing a submit never edits a submitted card.
 */
export async function saveScorecard(db: Db, viewer: Viewer, input: SaveScorecardInput): Promise<ScorecardView> {
	assertGrader(viewer);
	assertScorecard(input, input.submit);
	const [call] = await db.select({ id: calls.id, agentId: calls.agentId }).from(calls).where(eq(calls.id, input.callId));
	if (!call) throw notFound('CALL_NOT_FOUND', 'No such call.');
	if (!call.agentId) throw badRequest('CALL_HAS_NO_AGENT', 'This call was not answered by an agent, so there is nobody to grade.');
	const calibrationId = input.calibrationId ?? null;
	if (calibrationId) {
		const [round] = await db.select({ callId: calibrations.callId }).from(calibrations).where(eq(calibrations.id, calibrationId));
		if (!round) throw notFound('CALIBRATION_NOT_FOUND', 'No such calibration round.');
		if (round.callId !== call.id) throw badRequest('CALIBRATION_OTHER_CALL', 'That calibration round is for another call.');
	}
	const anchors = await currentAnchors(db);
	const now = new Date();
	const values = {
		...Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, input.scores[c] ?? null])),
		feedback: Object.fromEntries(
			Object.entries(input.feedback)
				.map(([k, v]) => [k, (v ?? '').trim()])
				.filter(([, v]) => v)
		) as Feedback,
		coachingNotes: input.coachingNotes.trim(),
		status: input.submit ? ('submitted' as const) : ('draft' as const),
		submittedAt: input.submit ? now : null,
		updatedAt: now
	};
	const [row] = await db
		.insert(scorecards)
		.values({ callId: call.id, agentId: call.agentId, reviewerId: viewer.id, calibrationId, anchorVersion: anchors.version, ...values })
		.onConflictDoUpdate({
			target: [scorecards.callId, scorecards.reviewerId, scorecards.calibrationId],
			set: values,
			setWhere: eq(scorecards.status, 'draft')
		})
		.returning({ id: scorecards.id });
	if (!row) {
		const [existing] = await db
			.select({ submittedAt: scorecards.submittedAt })
			.from(scorecards)
			.where(and(eq(scorecards.callId, call.id), eq(scorecards.reviewerId, viewer.id), calibrationId ? eq(scorecards.calibrationId, calibrationId) : isNull(scorecards.calibrationId)));
		throw submittedConflict(existing?.submittedAt ?? null);
	}
	return getScorecard(db, viewer, row.id);
}

async function loadCard(db: Db | Tx, id: string) {
	const [r] = await db.select(scorecardColumns).from(scorecards).leftJoin(user, eq(user.id, scorecards.agentId)).where(eq(scorecards.id, id));
	if (!r) throw notFound('SCORECARD_NOT_FOUND', 'No such scorecard.');
	return r;
}

/** May `viewer` read this card? Agents: their own submitted review cards. Graders: all but others' blind calibration scores. */
export async function assertMayRead(db: Db | Tx, viewer: Viewer, row: ScorecardRow): Promise<void> {
	if (!roleAllows('manager', viewer.role)) {
		if (row.agentId !== viewer.id) throw new AppError('FORBIDDEN', 'NOT_YOUR_SCORECARD', 'Agents can read only their own scorecards.');
		if (row.status !== 'submitted' || row.calibrationId) throw notFound('SCORECARD_NOT_FOUND', 'No such scorecard.');
		return;
	}
	if (row.reviewerId === viewer.id) return;
	if (row.status === 'draft') throw new AppError('FORBIDDEN', 'SCORECARD_DRAFT', "This scorecard is another grader's draft; it can be read once it is submitted.");
	if (row.calibrationId) {
		const [mine] = await db
			.select({ status: scorecards.status })
			.from(scorecards)
			.where(and(eq(scorecards.calibrationId, row.calibrationId), eq(scorecards.reviewerId, viewer.id)));
		if (mine?.status !== 'submitted') {
			throw new AppError('FORBIDDEN', 'CALIBRATION_BLIND', 'Calibration is blind: submit your own score for this call to see the others.');
		}
	}
}

export async function getScorecard(db: Db | Tx, viewer: Viewer, id: string): Promise<ScorecardView> {
	const r = await loadCard(db, id);
	await assertMayRead(db, viewer, r.row);
	return toView(r);
}

/** The grader's own card for a call (review or calibration round), or null: what the form opens with. */
export async function myScorecardFor(db: Db | Tx, viewer: Viewer, callId: string, calibrationId: string | null): Promise<ScorecardView | null> {
	assertGrader(viewer);
	const [r] = await db
		.select(scorecardColumns)
		.from(scorecards)
		.leftJoin(user, eq(user.id, scorecards.agentId))
		.where(
			and(eq(scorecards.callId, callId), eq(scorecards.reviewerId, viewer.id), calibrationId ? eq(scorecards.calibrationId, calibrationId) : isNull(scorecards.calibrationId))
		);
	return r ? toView(r) : null;
}

/**
 * Submitted review cards (no calibration scores), newest first: an agent's history or a call's
 * reviews. Agents may list only their own; for a call they see only the cards about them.
 */
export async function listScorecards(db: Db | Tx, viewer: Viewer, filter: { agentId?: string; callId?: string; limit?: number; before?: Date }): Promise<ScorecardView[]> {
	const grader = roleAllows('manager', viewer.role);
	if (!grader && filter.agentId && filter.agentId !== viewer.id) {
		throw new AppError('FORBIDDEN', 'NOT_YOUR_SCORECARD', "Agents can read only their own scorecards, not another agent's.");
	}
	const agentId = grader ? filter.agentId : viewer.id;
	if (!agentId && !filter.callId) throw badRequest('FILTER_REQUIRED', 'Name an agent or a call whose scorecards to list.');
	const rows = await db
		.select(scorecardColumns)
		.from(scorecards)
		.leftJoin(user, eq(user.id, scorecards.agentId))
		.where(
			and(
				agentId ? eq(scorecards.agentId, agentId) : undefined,
				filter.callId ? eq(scorecards.callId, filter.callId) : undefined,
				filter.before ? sql`${scorecards.createdAt} < ${filter.before.toISOString()}` : undefined,
				eq(scorecards.status, 'submitted'),
				isNull(scorecards.calibrationId)
			)
		)
		.orderBy(desc(scorecards.createdAt))
		.limit(Math.min(filter.limit ?? 50, 200));
	return rows.map(toView);
}
