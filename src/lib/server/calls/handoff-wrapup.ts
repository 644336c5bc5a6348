/**
 * Wrap-ups of a transfer's parts outside the call's own (lib/transfers/handoff.ts): the first
 * agent's after a transfer took them off the call (`from`: call_transfers.from_*, from the
 * hand-off), and a three-way call's target at the call's end (`to`: call_transfers.to_*, from
 * the call's end). Their softphone's form, "Ready now" and the end of the queue's wrap-up time
 * name that part's CallSid and land on the transfer's archive row instead of the call's, which is
 * the wrap-up of the agent who has the caller at the end. Same rules: only that agent, once;
 * wrap-up seconds run from the part's end to when they were ready again.
 */
import { eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { callTransfers } from '../db/schema/transfers';
import { AppError } from '../errors';
import { recordCallEvent } from '../reporting/record-call-event';
import { addCallEvent } from './call-archive';

export type TransferSide = 'from' | 'to';

const secondsBetween = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

interface Part {
	id: string;
	callId: string;
	agentId: string | null;
	endedAt: Date;
	readyAt: Date | null;
	wrappedUpAt: Date | null;
}

async function partRow(tx: Tx, transferId: string, side: TransferSide, agentId: string | null): Promise<Part> {
	const [row] = await tx.select().from(callTransfers).where(eq(callTransfers.id, transferId)).for('update');
	const part =
		row && side === 'from'
			? { agentId: row.fromAgentId, endedAt: row.handedOffAt, readyAt: row.fromReadyAt, wrappedUpAt: row.fromWrappedUpAt }
			: row
				? { agentId: row.toAgentId, endedAt: row.toEndedAt, readyAt: row.toReadyAt, wrappedUpAt: row.toWrappedUpAt }
				: null;
	if (!row?.callId || !part?.endedAt) throw new AppError('NOT_FOUND', 'CALL_NOT_FOUND', 'No call of yours in wrap-up with this id.');
	if (agentId !== null && part.agentId !== agentId) throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agent who took this call can wrap it up.');
	return { ...part, id: row.id, callId: row.callId, endedAt: part.endedAt };
}

async function markReady(tx: Tx, part: Part, side: TransferSide, readyAt: Date): Promise<void> {
	await tx
		.update(callTransfers)
		.set(side === 'from' ? { fromReadyAt: readyAt } : { toReadyAt: readyAt })
		.where(eq(callTransfers.id, part.id));
	await recordCallEvent(tx, {
		callId: part.callId,
		type: 'wrapup_ended',
		at: readyAt,
		agentId: part.agentId,
		seconds: secondsBetween(part.endedAt, readyAt),
		key: side === 'from' ? part.id : `${part.id}:to`
	});
}

/** The form: disposition and notes of one agent's part. `wasReady`: hot state already let them go. */
export async function wrapUpHandoff(tx: Tx, transferId: string, agentId: string, input: { disposition: string; notes: string }, now: Date, side: TransferSide = 'from') {
	const part = await partRow(tx, transferId, side, agentId);
	if (part.wrappedUpAt) throw new AppError('CONFLICT', 'ALREADY_WRAPPED_UP', 'This call is already wrapped up.');
	const readyAt = part.readyAt ?? now;
	const wrapupSeconds = secondsBetween(part.endedAt, readyAt);
	await tx
		.update(callTransfers)
		.set(
			side === 'from'
				? { fromDisposition: input.disposition, fromNotes: input.notes, fromWrapupSeconds: wrapupSeconds, fromWrappedUpAt: now }
				: { toDisposition: input.disposition, toNotes: input.notes, toWrapupSeconds: wrapupSeconds, toWrappedUpAt: now }
		)
		.where(eq(callTransfers.id, part.id));
	if (!part.readyAt) await markReady(tx, part, side, readyAt);
	await addCallEvent(tx, { callId: part.callId, kind: 'transfer.wrapped-up', at: now, payload: { transferId, agentId, side, disposition: input.disposition } });
	return { callId: part.callId, wrapupSeconds, wasReady: part.readyAt !== null };
}

/** Ready now, or (agentId null) the queue's wrap-up time ran out: ready from then, once. */
export async function readyAfterHandoff(tx: Tx, transferId: string, agentId: string | null, now: Date, side: TransferSide = 'from'): Promise<{ readyAt: Date; changed: boolean }> {
	const part = await partRow(tx, transferId, side, agentId);
	if (part.readyAt) return { readyAt: part.readyAt, changed: false };
	await markReady(tx, part, side, now);
	return { readyAt: now, changed: true };
}
