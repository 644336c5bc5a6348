/**
 * The first agent's wrap-up after a transfer took them off the call (lib/transfers/handoff.ts):
 * their softphone's form, "Ready now" and the end of the queue's wrap-up time name their hand-off
 * CallSid, and land on the transfer's archive row (call_transfers.from_*) instead of the call's,
 * which is the wrap-up of the agent who has the caller at the end. Same rules: only that agent,
 * once; wrap-up seconds run from the hand-off to when they were ready again.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { callTransfers } from '../db/schema/transfers';
import { AppError } from '../errors';
import { recordCallEvent } from '../reporting/record-call-event';
import { addCallEvent } from './call-archive';

const secondsBetween = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

async function handoffRow(tx: Tx, transferId: string, agentId: string | null) {
	const [row] = await tx.select().from(callTransfers).where(eq(callTransfers.id, transferId)).for('update');
	if (!row?.handedOffAt || !row.callId) throw new AppError('NOT_FOUND', 'CALL_NOT_FOUND', 'No call of yours in wrap-up with this id.');
	if (agentId !== null && row.fromAgentId !== agentId) throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agent who took this call can wrap it up.');
	return row as typeof row & { handedOffAt: Date; callId: string };
}

async function markReady(tx: Tx, row: { id: string; callId: string; fromAgentId: string | null; handedOffAt: Date }, readyAt: Date): Promise<void> {
	await tx.update(callTransfers).set({ fromReadyAt: readyAt }).where(eq(callTransfers.id, row.id));
	await recordCallEvent(tx, { callId: row.callId, type: 'wrapup_ended', at: readyAt, agentId: row.fromAgentId, seconds: secondsBetween(row.handedOffAt, readyAt), key: row.id });
}

/** The form: disposition and notes of the first agent's part. `wasReady`: hot state already let them go. */
export async function wrapUpHandoff(tx: Tx, transferId: string, agentId: string, input: { disposition: string; notes: string }, now: Date) {
	const row = await handoffRow(tx, transferId, agentId);
	if (row.fromWrappedUpAt) throw new AppError('CONFLICT', 'ALREADY_WRAPPED_UP', 'This call is already wrapped up.');
	const readyAt = row.fromReadyAt ?? now;
	const wrapupSeconds = secondsBetween(row.handedOffAt, readyAt);
	await tx
		.update(callTransfers)
		.set({ fromDisposition: input.disposition, fromNotes: input.notes, fromWrapupSeconds: wrapupSeconds, fromWrappedUpAt: now })
		.where(eq(callTransfers.id, row.id));
	if (!row.fromReadyAt) await markReady(tx, row, readyAt);
	await addCallEvent(tx, { callId: row.callId, kind: 'transfer.wrapped-up', at: now, payload: { transferId, agentId, disposition: input.disposition } });
	return { callId: row.callId, wrapupSeconds, wasReady: row.fromReadyAt !== null };
}

/** Ready now, or (agentId null) the queue's wrap-up time ran out: ready from then, once. */
export async function readyAfterHandoff(tx: Tx, transferId: string, agentId: string | null, now: Date): Promise<{ readyAt: Date; changed: boolean }> {
	const row = await handoffRow(tx, transferId, agentId);
	if (row.fromReadyAt) return { readyAt: row.fromReadyAt, changed: false };
	await markReady(tx, row, now);
	return { readyAt: now, changed: true };
}
