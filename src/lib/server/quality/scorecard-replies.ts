/**
 * The conversation after submit: the agent acknowledges their scorecard and may comment or
 * dispute it; a manager or supervisor answers, which closes an open dispute.
 */
import { asc, eq } from 'drizzle-orm';
import { roleAllows } from '$lib/roles';
import type { Db, Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { scorecardComments, scorecards } from '../db/schema/quality';
import { AppError, badRequest, notFound } from '../errors';
import { assertMayRead, type Viewer } from './scorecards';

export interface CommentView {
	id: string;
	kind: 'comment' | 'dispute' | 'answer';
	body: string;
	authorId: string | null;
	authorName: string | null;
	createdAt: Date;
}

async function submittedCard(db: Db | Tx, id: string) {
	const [row] = await db.select().from(scorecards).where(eq(scorecards.id, id));
	if (!row || row.status !== 'submitted' || row.calibrationId) throw notFound('SCORECARD_NOT_FOUND', 'No such submitted scorecard.');
	return row;
}

export async function acknowledgeScorecard(db: Db, viewer: Viewer, id: string): Promise<{ acknowledgedAt: Date }> {
	const row = await submittedCard(db, id);
	if (row.agentId !== viewer.id) throw new AppError('FORBIDDEN', 'NOT_YOUR_SCORECARD', 'Only the agent this scorecard is about can acknowledge it.');
	if (row.acknowledgedAt) return { acknowledgedAt: row.acknowledgedAt };
	const [updated] = await db
		.update(scorecards)
		.set({ acknowledgedAt: new Date() })
		.where(eq(scorecards.id, id))
		.returning({ acknowledgedAt: scorecards.acknowledgedAt });
	return { acknowledgedAt: updated!.acknowledgedAt! };
}

/**
 * The agent adds a comment or a dispute (which opens the dispute); a grader adds an answer
 * (which closes it). Text is stored and shown as plain text.
 */
export async function replyToScorecard(db: Db, viewer: Viewer, input: { scorecardId: string; kind: 'comment' | 'dispute' | 'answer'; body: string }): Promise<CommentView> {
	const body = input.body.trim();
	if (!body) throw badRequest('COMMENT_EMPTY', 'Write something before sending.');
	if (body.length > 4000) throw badRequest('COMMENT_TOO_LONG', 'A comment is at most 4000 characters.');
	const row = await submittedCard(db, input.scorecardId);
	const grader = roleAllows('manager', viewer.role);
	if (input.kind === 'answer') {
		if (!grader) throw new AppError('FORBIDDEN', 'GRADERS_ONLY', 'Only managers and supervisors answer a scorecard comment.');
	} else if (row.agentId !== viewer.id) {
		throw new AppError('FORBIDDEN', 'NOT_YOUR_SCORECARD', 'Only the agent this scorecard is about can comment on or dispute it.');
	}
	return db.transaction(async (tx) => {
		const [comment] = await tx.insert(scorecardComments).values({ scorecardId: row.id, authorId: viewer.id, kind: input.kind, body }).returning();
		if (input.kind === 'dispute') await tx.update(scorecards).set({ disputeStatus: 'open' }).where(eq(scorecards.id, row.id));
		if (input.kind === 'answer' && row.disputeStatus === 'open') await tx.update(scorecards).set({ disputeStatus: 'answered' }).where(eq(scorecards.id, row.id));
		const [author] = await tx.select({ name: user.name }).from(user).where(eq(user.id, viewer.id));
		return { id: comment!.id, kind: comment!.kind, body: comment!.body, authorId: viewer.id, authorName: author?.name ?? null, createdAt: comment!.createdAt };
	});
}

export async function listReplies(db: Db | Tx, viewer: Viewer, scorecardId: string): Promise<CommentView[]> {
	const [row] = await db.select().from(scorecards).where(eq(scorecards.id, scorecardId));
	if (!row) throw notFound('SCORECARD_NOT_FOUND', 'No such scorecard.');
	await assertMayRead(db, viewer, row);
	return db
		.select({
			id: scorecardComments.id,
			kind: scorecardComments.kind,
			body: scorecardComments.body,
			authorId: scorecardComments.authorId,
			authorName: user.name,
			createdAt: scorecardComments.createdAt
		})
		.from(scorecardComments)
		.leftJoin(user, eq(user.id, scorecardComments.authorId))
		.where(eq(scorecardComments.scorecardId, scorecardId))
		.orderBy(asc(scorecardComments.createdAt));
}
