/**
 * Who has the caller at the end of a call: the agent who answered it, unless a completed transfer
 * handed it on (then the transfer's target, from when they answered; null for an outside number),
 * or a transfer put the caller back in line (then the agent who took them from it, from then).
 * The call's end (talk time in the log) and its wrap-up (calls) belong to that agent; the first
 * agent's part ended at the hand-off (call_transfers.handed_off_at, transfers/transfer-archive.ts).
 */
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { callTransfers } from '../db/schema/transfers';
import { callEvents } from '../db/schema/calls';
import { PICKED_UP_AGAIN } from '../call-control/record-segment';

export interface CallHandler {
	agentId: string | null;
	since: Date;
}

/** The last completed transfer's target, or whoever took the caller from the line a transfer put them back in later; null when the call was never handed on. */
export async function handedOnTo(tx: Db | Tx, callId: string): Promise<CallHandler | null> {
	const [t] = await tx
		.select({ toAgentId: callTransfers.toAgentId, answeredAt: callTransfers.answeredAt, endedAt: callTransfers.endedAt })
		.from(callTransfers)
		.where(and(eq(callTransfers.callId, callId), eq(callTransfers.outcome, 'completed'), isNotNull(callTransfers.handedOffAt)))
		.orderBy(desc(callTransfers.endedAt))
		.limit(1);
	// A caller a transfer put back in line is the agent's who took them from it, from then (record-segment.ts startTalkIfIdle).
	const [picked] = await tx
		.select({ at: callEvents.at, payload: callEvents.payload })
		.from(callEvents)
		.where(and(eq(callEvents.callId, callId), eq(callEvents.kind, PICKED_UP_AGAIN)))
		.orderBy(desc(callEvents.at))
		.limit(1);
	const pickedBy = (picked?.payload as { agentId?: unknown } | undefined)?.agentId;
	if (picked && typeof pickedBy === 'string' && (!t?.endedAt || picked.at >= t.endedAt)) return { agentId: pickedBy, since: picked.at };
	if (!t) return null;
	return { agentId: t.toAgentId, since: t.answeredAt ?? t.endedAt ?? new Date() };
}

/** The agent whose wrap-up the call's own is: the one it was handed on to, else the one who took it. */
export async function callOwnerId(tx: Db | Tx, call: { id: string; agentId: string | null }): Promise<string | null> {
	const handler = await handedOnTo(tx, call.id);
	return handler ? handler.agentId : call.agentId;
}
