/**
 * The inbound call paths' entries in the reporting event log (reporting/record-call-event.ts),
 * each called inside the transaction that writes the same fact onto the call row. The incoming
 * call's offered / offered_closed and queued / ringing entries are written with its routing
 * decision instead (recordRoutingDecision, record-incoming-call.ts).
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { callLog } from '../db/schema/reporting';
import { logOutboundEnd } from '../reporting/log-outbound-call';
import { recordCallEvent } from '../reporting/record-call-event';
import type { CallRow } from './call-archive';
import type { CallFacts } from './fold-call-status';
import { handedOnTo } from './call-handler';

const secondsBetween = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/** How the call reached a queue: offered (open), offered_closed, or null (never offered: not our number, outbound). */
async function offeredAs(tx: Db | Tx, callId: string): Promise<'offered' | 'offered_closed' | null> {
	const [row] = await tx
		.select({ type: callLog.type })
		.from(callLog)
		.where(and(eq(callLog.callId, callId), inArray(callLog.type, ['offered', 'offered_closed'])))
		.limit(1);
	return row?.type === 'offered' || row?.type === 'offered_closed' ? row.type : null;
}

async function wasOffered(tx: Db | Tx, callId: string): Promise<boolean> {
	return (await offeredAs(tx, callId)) === 'offered';
}

/** An agent answered: the caller's wait (arrival to answer, ringing included). */
export async function logAnswered(tx: Db | Tx, call: Pick<CallRow, 'id' | 'receivedAt'>, answeredAt: Date, agentId: string | null): Promise<void> {
	await recordCallEvent(tx, { callId: call.id, type: 'answered', at: answeredAt, agentId, seconds: secondsBetween(call.receivedAt, answeredAt) });
}

/**
 * The customer's leg ended: handled (talk time, wrap-up starts), abandoned, or a message left. A
 * caller of a closed queue left a message (a callback) or hung up (closed_hangup, no abandon); an
 * outbound call logs its dial and outcome (reporting/log-outbound-call.ts); other calls (not our number) log nothing.
 */
export async function logCallEnd(tx: Db | Tx, callId: string, folded: CallFacts): Promise<void> {
	if (!folded.endedAt) return;
	const offered = await offeredAs(tx, callId);
	if (offered === null) {
		await logOutboundEnd(tx, callId, folded);
		return;
	}
	const at = folded.endedAt;
	if (offered === 'offered_closed') {
		await recordCallEvent(tx, { callId, type: folded.outcome === 'voicemail' ? 'voicemail' : 'closed_hangup', at, seconds: folded.waitSeconds ?? 0 });
		return;
	}
	if (folded.outcome === 'answered') {
		// A call a transfer handed on ends for the agent who had the caller last, from their answer (the first agent's part was logged at the hand-off).
		const handler = await handedOnTo(tx, callId);
		const agentId = handler ? handler.agentId : folded.agentId;
		const seconds = handler ? secondsBetween(handler.since, at) : (folded.talkSeconds ?? 0);
		await recordCallEvent(tx, { callId, type: 'ended', at, agentId, seconds });
		await recordCallEvent(tx, { callId, type: 'wrapup_started', at, agentId });
	} else if (folded.outcome === 'abandoned') {
		await recordCallEvent(tx, { callId, type: 'abandoned', at, seconds: folded.waitSeconds ?? 0 });
	} else if (folded.outcome === 'voicemail') {
		await recordCallEvent(tx, { callId, type: 'voicemail', at, seconds: folded.waitSeconds ?? 0 });
	}
}

/** The agent is available again: wrap-up ran from the caller hanging up to now. */
export async function logWrapupEnded(tx: Db | Tx, call: Pick<CallRow, 'id' | 'endedAt' | 'agentId' | 'answeredAt'>, readyAt: Date): Promise<void> {
	if (!call.endedAt || !call.answeredAt || !(await wasOffered(tx, call.id))) return;
	await recordCallEvent(tx, { callId: call.id, type: 'wrapup_ended', at: readyAt, agentId: call.agentId, seconds: secondsBetween(call.endedAt, readyAt) });
}
