/**
 * Reading a call's AI grade (policy rule `ai-grade-reader`): graders, and the agent of the call.
 * It is shown beside the human scorecards, labelled as the AI's, and never replaces them.
 */
import { eq } from 'drizzle-orm';
import { roleAllows } from '$lib/roles';
import type { Db, Tx } from '../db/client';
import { calls } from '../db/schema/calls';
import { aiGrades, type AiCategoryGrade } from '../db/schema/quality';
import type { ScoreCategory } from '$lib/quality/categories';
import { AppError, notFound } from '../errors';
import type { Viewer } from './scorecards';

export interface AiGradeView {
	callId: string;
	status: 'pending' | 'graded' | 'failed' | 'none';
	adapter: string | null;
	error: string | null;
	categories: Partial<Record<ScoreCategory, AiCategoryGrade>> | null;
	gradedAt: Date | null;
}

export async function assertMayReadCallQuality(db: Db | Tx, viewer: Viewer, callId: string): Promise<void> {
	const [call] = await db.select({ agentId: calls.agentId }).from(calls).where(eq(calls.id, callId));
	if (!call) throw notFound('CALL_NOT_FOUND', 'No such call.');
	if (roleAllows('manager', viewer.role) || call.agentId === viewer.id) return;
	throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', "Only the call's agent, managers and supervisors see how a call was graded.");
}

export async function getAiGrade(db: Db | Tx, viewer: Viewer, callId: string): Promise<AiGradeView> {
	await assertMayReadCallQuality(db, viewer, callId);
	const [row] = await db.select().from(aiGrades).where(eq(aiGrades.callId, callId));
	if (!row) return { callId, status: 'none', adapter: null, error: null, categories: null, gradedAt: null };
	return { callId, status: row.status, adapter: row.adapter, error: row.error, categories: row.categories, gradedAt: row.gradedAt };
}
