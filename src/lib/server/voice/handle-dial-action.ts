/**
 * `<Dial action>`: the agent's softphone answered and the conversation is over, or it did not
 * answer (ring timeout, busy, declined). Unanswered: the agent is marked missed and the call is
 * offered to the next agent or queued. A retried delivery changes nothing and gets the current
 * decision back.
 */
import { api } from '$convex/_generated/api';
import { SYSTEM_IDENTITY } from '../live/hot';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import type { TDialAction } from '../webhooks/voice-params';
import { addCallEvent, lastOfferedAgent, loadCall } from './call-archive';
import { findVoiceQueue } from './find-voice-queue';
import { recordRoutingDecision } from './handle-incoming-call';
import { hangup, response } from './twiml';
import { routingTwiml } from './routing-twiml';
import type { VoiceServices } from './voice-services';

export async function handleDialAction(
	services: VoiceServices,
	input: { dial: TDialAction; dedupeKey: string; now?: Date }
): Promise<string> {
	const { db, hot } = services;
	const { dial } = input;
	const now = input.now ?? new Date();
	const answered = dial.DialCallStatus === 'completed' || dial.DialCallStatus === 'answered';

	const found = await db.transaction(async (tx) => {
		const fresh = await recordDeliveryOnce(tx, input.dedupeKey, 'voice.dial-action');
		const loaded = await loadCall(tx, dial.CallSid);
		if (fresh && loaded) {
			// A miss names the agent it rang (the latest offer), so reports and the timeline can say who.
			const agentId = answered ? null : await lastOfferedAgent(tx, loaded.call.id);
			await addCallEvent(tx, {
				callId: loaded.call.id,
				kind: answered ? 'dial.completed' : 'missed',
				at: now,
				payload: {
					dialCallStatus: dial.DialCallStatus,
					dialCallSid: dial.DialCallSid ?? null,
					duration: dial.DialCallDuration ?? null,
					...(answered ? {} : { agentId })
				}
			});
		}
		return loaded ? { ...loaded, fresh } : null;
	});
	// The conversation happened (or the call is not ours): nothing more to run on the caller's leg.
	if (answered || !found || !found.call.queue) return response(hangup());

	const configured = found.call.toE164 ? await findVoiceQueue(db, found.call.toE164) : null;
	const queue = { name: found.call.queue, ringSeconds: configured?.ringSeconds ?? 20 };
	const decision = found.fresh
		? await hot.mutation(api.callLine.missCall, { callSid: dial.CallSid }, SYSTEM_IDENTITY)
		: await hot.mutation(
				api.callLine.routeInbound,
				{
					callSid: dial.CallSid,
					from: found.call.fromE164 ?? found.call.fromRaw,
					to: found.call.toE164 ?? found.call.toRaw,
					queueName: found.call.queue,
					requiredSkills: configured?.requiredSkills ?? []
				},
				SYSTEM_IDENTITY
			);
	await recordRoutingDecision(db, dial.CallSid, decision, now);
	return routingTwiml({ decision, callSid: dial.CallSid, from: found.call.fromRaw, queue, caller: found.caller, notice: false });
}

