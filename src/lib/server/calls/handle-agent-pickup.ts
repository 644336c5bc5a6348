/**
 * An agent takes the next waiting caller from their softphone: the browser places a call to
 * `queue:<name>` (From `client:agent_<id>`). Hot state picks the caller (the one the agent
 * already accepted from that queue, else the oldest they may take) and the agent's leg answers
 * with `<Dial><Queue>`. The caller's leg then requests the `<Queue url>` (queue-bridge), which
 * records in the archive who answered, because only that request names the caller actually bridged.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { api } from '$convex/_generated/api';
import { calls } from '../db/schema/calls';
import { SYSTEM_IDENTITY } from '../live/hot';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import { ZVoiceRequest, type TVoiceRequest } from '../webhooks/voice-params';
import { addCallEvent, ensureCall, keepFirst, loadCall, staffIdOrNull } from './call-archive';
import { agentIdFromClient } from './caller-number';
import { logAnswered } from './log-inbound-events';
import { dialQueue, hangup, response, say } from './twiml';
import { startTalkIfIdle } from '../call-control/record-segment';
import { VOICE_PATHS } from './voice-paths';
import type { VoiceServices } from './voice-services';

export const NOBODY_WAITING = 'Nobody is waiting in this queue right now.';

/** `{agentId, queueName}` when the request is an agent's softphone dialling `queue:<name>`, else null. */
export function agentPickupTarget(call: Pick<TVoiceRequest, 'From' | 'To'>): { agentId: string; queueName: string } | null {
	const agentId = agentIdFromClient(call.From);
	const m = /^queue:([^\s]{1,64})$/.exec(call.To.trim());
	return agentId && m?.[1] ? { agentId, queueName: m[1] } : null;
}

export async function handleAgentPickup(
	services: VoiceServices,
	input: {
		call: TVoiceRequest;
		agentId: string;
		queueName: string;
		dedupeKey: string;
		now?: Date;
	}
): Promise<string> {
	const { call, agentId, queueName } = input;
	const now = input.now ?? new Date();
	// Idempotent: a retried delivery gets the caller this agent already holds.
	const claim = await services.hot.mutation(api.callLine.claimFromQueue, { agentId, queueName }, SYSTEM_IDENTITY);
	if (!claim) return response(say(NOBODY_WAITING), hangup());
	await services.db.transaction(async (tx) => {
		if (!(await recordDeliveryOnce(tx, input.dedupeKey, 'voice.pickup'))) return;
		const found = await loadCall(tx, claim.callSid);
		if (!found) return;
		await tx
			.update(calls)
			.set({ agentId: staffIdOrNull(agentId) })
			.where(eq(calls.id, found.call.id));
		await addCallEvent(tx, {
			callId: found.call.id,
			kind: 'picked-up',
			at: now,
			payload: { agentId, agentCallSid: call.CallSid, queue: queueName }
		});
	});
	// Call control moves a picked-up call by redirecting the customer's leg; it needs to know this agent leg.
	await services.hot.mutation(api.callControl.noteLegs, { callSid: claim.callSid, agentCallSid: call.CallSid, bridgedBy: 'queue' }, SYSTEM_IDENTITY);
	return response(
		dialQueue(queueName, {
			url: `${VOICE_PATHS.queueBridge}?agent=${encodeURIComponent(agentId)}`,
			// When the call moves into its conference, this Dial ends and its action answers the conference TwiML.
			action: VOICE_PATHS.dialAction
		})
	);
}

/** `<Queue url>` request: the caller's leg, naming the agent leg that dequeued it (Twilio spells it DequeingCallSid). */
export const ZQueueBridge = ZVoiceRequest.extend({
	DequeingCallSid: z.string().max(64).optional(),
	QueueTime: z.coerce.number().int().min(0).optional()
});
export type TQueueBridge = z.infer<typeof ZQueueBridge>;

/** The caller is being bridged to the agent named in the URL: the call is answered from now on. */
export async function handleQueueBridge(
	services: VoiceServices,
	input: {
		bridge: TQueueBridge;
		agentId: string | null;
		dedupeKey: string;
		now?: Date;
	}
): Promise<string> {
	const { bridge, agentId } = input;
	const now = input.now ?? new Date();
	await services.db.transaction(async (tx) => {
		if (!(await recordDeliveryOnce(tx, input.dedupeKey, 'voice.queue-bridge'))) return;
		const row = await ensureCall(tx, {
			callSid: bridge.CallSid,
			direction: 'inbound',
			fromRaw: bridge.From,
			toRaw: bridge.To
		});
		await tx
			.update(calls)
			.set({
				answeredAt: keepFirst(calls.answeredAt, now),
				agentCallSid: bridge.DequeingCallSid ?? row.agentCallSid,
				...(agentId ? { agentId: staffIdOrNull(agentId) } : {})
			})
			.where(eq(calls.id, row.id));
		if (!row.answeredAt) await logAnswered(tx, row, now, agentId);
		// The picking agent's talk (a caller back in line after a transfer: the call is theirs from now).
		if (agentId) await startTalkIfIdle(tx, { callId: row.id, agentId, at: now, answeredBefore: Boolean(row.answeredAt) });
		await addCallEvent(tx, {
			callId: row.id,
			kind: 'bridged',
			at: now,
			payload: {
				agentId,
				agentCallSid: bridge.DequeingCallSid ?? null,
				queueTime: bridge.QueueTime ?? null
			}
		});
	});
	return response();
}
