/**
 * call_transfers: the archive's half of a transfer, under the transfer_queue row's id. Opened
 * when the transfer starts, closed once by the move that closes the hot row (a replay or a
 * second close changes nothing: only a row still open is closed).
 */
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Doc } from '$convex/_generated/dataModel';
import type { Db, Tx } from '../db/client';
import { calls, voiceQueues } from '../db/schema/calls';
import { addCallEvent } from '../calls/call-archive';
import { DEFAULT_WRAPUP_SECONDS } from '../calls/apply-call-status';
import { recordCallEvent } from '../reporting/record-call-event';
import { callTransfers } from '../db/schema/transfers';
import type { TransferOutcome } from '$lib/transfers/transfer-machine';
import type { Jobs } from '../jobs/jobs';
import { joinedTargetCallSid } from '$lib/transfers/handoff';
import { logCallControlEvent, UnknownCallError } from '../reporting/log-call-control-event';
import { lockCallStory } from '../call-control/record-segment';

export async function openTransferArchive(tx: Db | Tx, row: Doc<'transfer_queue'>): Promise<void> {
	const sids = [row.callSid, ...(row.customerCallSid ? [row.customerCallSid] : [])];
	const [call] = await tx.select({ id: calls.id }).from(calls).where(inArray(calls.callSid, sids)).limit(1);
	await tx
		.insert(callTransfers)
		.values({
			id: row.transferId,
			callId: call?.id ?? null,
			callSid: row.callSid,
			kind: row.kind,
			targetKind: row.targetKind,
			fromAgentId: row.fromAgentId,
			toAgentId: row.toAgentId ?? null,
			toQueue: row.toQueue ?? null,
			toNumber: row.toNumber ?? null,
			note: row.note ?? null,
			startedAt: new Date(row.requestedAt)
		})
		.onConflictDoNothing();
}

export async function markTransferAnswered(db: Db | Tx, transferId: string, at: Date): Promise<void> {
	await db
		.update(callTransfers)
		.set({ answeredAt: at })
		.where(and(eq(callTransfers.id, transferId), isNull(callTransfers.answeredAt)));
}

/** Outcomes in which the call went on with someone else: counted as a transfer (or a conference) in reports. */
const REPORTED: Partial<Record<TransferOutcome, 'transferred' | 'conference'>> = { completed: 'transferred', queued: 'transferred', joined: 'conference' };

export async function closeTransferArchive(db: Db | Tx, transferId: string, outcome: TransferOutcome, reason: string, at: Date): Promise<void> {
	const [closed] = await db
		.update(callTransfers)
		.set({ outcome, reason, endedAt: at })
		.where(and(eq(callTransfers.id, transferId), isNull(callTransfers.outcome)))
		.returning();
	const kind = REPORTED[outcome];
	if (!closed || !kind || !closed.fromAgentId) return;
	// The call event log counts it once per transfer id (a replayed close finds the row already closed anyway).
	await logCallControlEvent(db, {
		callSid: closed.callSid,
		kind,
		agentId: closed.fromAgentId,
		at,
		ref: transferId,
		target: closed.toAgentId ?? closed.toQueue ?? closed.toNumber ?? undefined
	}).catch((error: unknown) => {
		// A call the archive never had (none in tests with a bare hot row) has no log to count in.
		if (!(error instanceof UnknownCallError)) throw error;
	});
}

/**
 * The transfer took the first agent off the call: their part ends here in the log (talk time
 * from the answer, keyed by the transfer so it counts once) and their wrap-up starts; the call's
 * own end later counts the agent it was handed on to (calls/call-handler.ts). Once per transfer.
 */
export async function archiveHandoff(db: Db, transferId: string, at: Date): Promise<void> {
	await db.transaction(async (tx) => {
		const [marked] = await tx
			.update(callTransfers)
			.set({ handedOffAt: at })
			.where(and(eq(callTransfers.id, transferId), isNull(callTransfers.handedOffAt)))
			.returning({ callId: callTransfers.callId, fromAgentId: callTransfers.fromAgentId });
		if (!marked?.callId || !marked.fromAgentId) return;
		const [call] = await tx.select({ answeredAt: calls.answeredAt }).from(calls).where(eq(calls.id, marked.callId));
		const seconds = call?.answeredAt ? Math.max(0, Math.round((at.getTime() - call.answeredAt.getTime()) / 1000)) : 0;
		await recordCallEvent(tx, { callId: marked.callId, type: 'ended', at, agentId: marked.fromAgentId, seconds, key: transferId });
		await recordCallEvent(tx, { callId: marked.callId, type: 'wrapup_started', at, agentId: marked.fromAgentId, key: transferId });
		await addCallEvent(tx, { callId: marked.callId, kind: 'transfer.handed-off', at, payload: { transferId, agentId: marked.fromAgentId } });
	});
}

/** The wrap-up time of the call's queue, for the first agent's countdown at the hand-off. */
export async function handoffWrapupSeconds(db: Db, call: { transferId: string } | { queueName: string | undefined }): Promise<number> {
	const [row] =
		'transferId' in call
			? await db
					.select({ seconds: voiceQueues.wrapupSeconds })
					.from(callTransfers)
					.innerJoin(calls, eq(calls.id, callTransfers.callId))
					.innerJoin(voiceQueues, eq(voiceQueues.name, calls.queue))
					.where(eq(callTransfers.id, call.transferId))
			: call.queueName
				? await db.select({ seconds: voiceQueues.wrapupSeconds }).from(voiceQueues).where(eq(voiceQueues.name, call.queueName))
				: [];
	return row?.seconds ?? DEFAULT_WRAPUP_SECONDS;
}

/**
 * The call ended with a three-way call's target still on it (outcome joined): their part ends
 * here and their wrap-up starts (call_transfers.to_ended_at; the log's wrap-up keyed by the
 * transfer's `:to` side), like the first agent's at a hand-off; the call's own end and wrap-up stay
 * its owner's. Once per transfer; answers the transfers whose target now wraps up.
 */
export async function archiveJoinedTargetsEnd(tx: Db | Tx, callId: string | null, at: Date, transferId?: string): Promise<string[]> {
	const ended = await tx
		.update(callTransfers)
		.set({ toEndedAt: at })
		.where(
			and(
				callId ? eq(callTransfers.callId, callId) : undefined,
				transferId ? eq(callTransfers.id, transferId) : undefined,
				eq(callTransfers.outcome, 'joined'),
				isNotNull(callTransfers.toAgentId),
				isNull(callTransfers.toEndedAt)
			)
		)
		.returning({ id: callTransfers.id, callId: callTransfers.callId, toAgentId: callTransfers.toAgentId });
	for (const t of ended) {
		if (!t.callId) continue;
		await recordCallEvent(tx, { callId: t.callId, type: 'wrapup_started', at, agentId: t.toAgentId, key: `${t.id}:to` });
		await addCallEvent(tx, { callId: t.callId, kind: 'transfer.target-wrapup', at, payload: { transferId: t.id, agentId: t.toAgentId } });
	}
	return ended.map((t) => t.id);
}

/** A three-way call's target hung up before the call ended (hot state put them in wrap-up): their part ends now, and its wrap-up time runs. */
export async function archiveJoinedTargetLeft(services: { db: Db; jobs?: Pick<Jobs, 'enqueue'> }, transferId: string, wrapupSeconds: number, at: Date): Promise<void> {
	await services.db.transaction(async (tx) => {
		// The call's row lock first, as the status callback (which ends the same parts at the call's end) takes it.
		const [t] = await tx.select({ callId: callTransfers.callId }).from(callTransfers).where(eq(callTransfers.id, transferId));
		if (t?.callId) await lockCallStory(tx, t.callId);
		const ended = await archiveJoinedTargetsEnd(tx, null, at, transferId);
		if (ended.length && services.jobs) await services.jobs.enqueue(tx, 'end-wrapup', { callSid: joinedTargetCallSid(transferId) }, { startAfter: new Date(at.getTime() + wrapupSeconds * 1000) });
	});
}
