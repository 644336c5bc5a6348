/**
 * `<Dial action>`: the agent's softphone answered and the conversation is over, or it did not.
 * Declined (DialCallStatus busy: the agent pressed Decline, or a softphone already on a call
 * turned this one away, as Twilio reports a rejected Client call): the agent goes to the status
 * DECLINE_SETS_AGENT names and is not counted as missing it. Rang out (no-answer, failed): the
 * agent is marked missed and set away. Either way the call is offered to the next agent at once,
 * or queued. A retried delivery changes nothing and gets the current decision back.
 */
import { api } from '$convex/_generated/api';
import { SYSTEM_IDENTITY } from '../live/hot';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import type { TDialAction } from '../webhooks/voice-params';
import { conferenceTwimlForMovingLeg } from '../call-control/conference';
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
	const { db } = services;
	const { dial } = input;
	const now = input.now ?? new Date();
	const answered = dial.DialCallStatus === 'completed' || dial.DialCallStatus === 'answered';
	// Twilio reports a Client call the device rejected as busy; no-answer and failed are misses.
	const unanswered = dial.DialCallStatus === 'busy' ? 'declined' : 'missed';

	const found = await db.transaction(async (tx) => {
		const fresh = await recordDeliveryOnce(tx, input.dedupeKey, 'voice.dial-action');
		const loaded = await loadCall(tx, dial.CallSid);
		if (fresh && loaded) {
			// A miss or decline names the agent it rang (the latest offer), so reports and the timeline can say who.
			const agentId = answered ? null : await lastOfferedAgent(tx, loaded.call.id);
			await addCallEvent(tx, {
				callId: loaded.call.id,
				kind: answered ? 'dial.completed' : unanswered,
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
	// The leg's Dial ended because call control moved the call into its conference: this leg follows it.
	const moving = answered ? await conferenceTwimlForMovingLeg(services, dial.CallSid) : null;
	if (moving) return moving;
	// The conversation happened (or the call is not ours): nothing more to run on the caller's leg.
	if (answered || !found || !found.call.queue) return response(hangup());

	const configured = found.call.toE164 ? await findVoiceQueue(db, found.call.toE164) : null;
	const queue = { name: found.call.queue, ringSeconds: configured?.ringSeconds ?? 20 };
	const decision = await passOn(services, dial.CallSid, { ...found.call, queue: found.call.queue, requiredSkills: configured?.requiredSkills ?? [] }, found.fresh ? unanswered : 'retried');
	await recordRoutingDecision(db, dial.CallSid, decision, now);
	return routingTwiml({ decision, callSid: dial.CallSid, from: found.call.fromRaw, queue, caller: found.caller, notice: false });
}

/**
 * The hot-state decision once the offer ended unanswered: the call passed on as a decline or a
 * miss, or, for a retried delivery, the decision already taken (routeInbound repeats it).
 */
function passOn(
	{ hot, config }: VoiceServices,
	callSid: string,
	call: { fromE164: string | null; fromRaw: string; toE164: string | null; toRaw: string; queue: string; requiredSkills: string[] },
	how: 'declined' | 'missed' | 'retried'
) {
	if (how === 'retried') {
		const from = call.fromE164 ?? call.fromRaw;
		const to = call.toE164 ?? call.toRaw;
		return hot.mutation(api.callLine.routeInbound, { callSid, from, to, queueName: call.queue, requiredSkills: call.requiredSkills }, SYSTEM_IDENTITY);
	}
	if (how === 'declined') return hot.mutation(api.callLine.declineCall, { callSid, agentStatus: config.declineSetsAgent }, SYSTEM_IDENTITY);
	return hot.mutation(api.callLine.missCall, { callSid }, SYSTEM_IDENTITY);
}
