/**
 * An outbound or campaign call's facts in the call event log, written once when the call ends
 * (calls/log-inbound-events.ts logCallEnd), so the outbound code needs no reporting calls:
 *   placed        at the dial (its interval counts the call), by the agent who dialled;
 *   connected     the far end answered;
 *   not_connected no answer, busy, failed or cancelled (payload.reason: the carrier's status);
 *   ended         talk seconds, on the agent's row (outbound talk, apart from inbound handle time).
 * A dial the campaign gate placed (outbound_attempts.source = campaign) is direction campaign.
 */
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { calls } from '../db/schema/calls';
import { outboundAttempts } from '../db/schema/compliance';
import type { CallLogDirection } from '../db/schema/reporting';
import { recordCallEvent } from './record-call-event';

export interface OutboundEnd {
	status: string;
	answeredAt: Date | null;
	endedAt: Date | null;
	agentId: string | null;
	talkSeconds: number | null;
}

/** Log an ended outbound call; false when the call is not outbound (or not ended). */
export async function logOutboundEnd(tx: Db | Tx, callId: string, end: OutboundEnd): Promise<boolean> {
	if (!end.endedAt) return false;
	const [call] = await tx.select({ callSid: calls.callSid, direction: calls.direction, receivedAt: calls.receivedAt }).from(calls).where(eq(calls.id, callId));
	if (!call || call.direction !== 'outbound') return false;
	const [campaign] = await tx
		.select({ id: outboundAttempts.id })
		.from(outboundAttempts)
		.where(and(eq(outboundAttempts.callSid, call.callSid), eq(outboundAttempts.source, 'campaign')))
		.limit(1);
	const direction: CallLogDirection = campaign ? 'campaign' : 'outbound';
	const agentId = end.agentId ?? '';
	const base = { callId, direction, queue: '', agentId };
	await recordCallEvent(tx, { ...base, type: 'placed', at: call.receivedAt });
	if (end.answeredAt) {
		await recordCallEvent(tx, { ...base, type: 'connected', at: end.answeredAt });
		await recordCallEvent(tx, { ...base, type: 'ended', at: end.endedAt, seconds: end.talkSeconds ?? 0 });
	} else {
		await recordCallEvent(tx, { ...base, type: 'not_connected', at: end.endedAt, payload: { reason: end.status } });
	}
	return true;
}
