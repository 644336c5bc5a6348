/**
 * The dialled customer's leg of an outbound call. Its progress is folded into the call row the
 * agent's leg named (calls/apply-call-status.ts with outboundLeg), so an outbound call ends,
 * goes to wrap-up and reaches the timeline as an inbound one does; its answer makes the hot
 * row in-progress. The Dial's action is a second word on the same end: a dial that never made
 * a leg (failed at once) still ends the call and frees the agent.
 */
import { api } from '$convex/_generated/api';
import { applyCallStatus } from '../calls/apply-call-status';
import { loadCall } from '../calls/call-archive';
import type { VoiceServices } from '../calls/voice-services';
import { findVoiceQueue } from '../calls/find-voice-queue';
import { FINAL_RANK, STATUS_RANK } from '../calls/fold-call-status';
import { SYSTEM_IDENTITY } from '../live/hot';
import type { TCallStatus, TDialAction, TVoiceStatusCallback } from '../webhooks/voice-params';
import { outboundNoticeTwiml } from './outbound-twiml';

export async function applyOutboundStatus(services: VoiceServices, input: { status: TVoiceStatusCallback; dedupeKey: string }): Promise<void> {
	const result = await applyCallStatus(services, { ...input, outboundLeg: true });
	if (!result.replay && input.status.CallStatus === 'in-progress' && input.status.ParentCallSid) {
		await services.hot.mutation(api.activeCalls.answerDial, { callSid: input.status.ParentCallSid, customerCallSid: input.status.CallSid }, SYSTEM_IDENTITY);
	}
	// A customer transferred to a queue and picked up there is a call of its own, keyed by their leg
	// (as an inbound caller's is): their hang-up ends that call too, and puts its agent in wrap-up.
	if (input.status.ParentCallSid && STATUS_RANK[input.status.CallStatus] === FINAL_RANK && (await loadCall(services.db, input.status.CallSid))) {
		const { ParentCallSid: _parent, ...own } = input.status;
		await applyCallStatus(services, { status: own, dedupeKey: `${input.dedupeKey}:own` });
	}
}

const DIAL_TO_CALL_STATUS: Record<TDialAction['DialCallStatus'], TCallStatus> = {
	completed: 'completed',
	answered: 'completed',
	busy: 'busy',
	'no-answer': 'no-answer',
	failed: 'failed',
	canceled: 'canceled'
};

/** `<Dial action>` on the agent's leg: the dialled leg is over, whatever its callbacks said. */
export async function applyOutboundDialEnd(services: VoiceServices, input: { dial: TDialAction; dedupeKey: string }): Promise<void> {
	const { dial } = input;
	await applyCallStatus(services, {
		outboundLeg: true,
		dedupeKey: input.dedupeKey,
		status: {
			CallSid: dial.DialCallSid ?? dial.CallSid,
			ParentCallSid: dial.CallSid,
			From: dial.From,
			To: dial.To,
			CallStatus: DIAL_TO_CALL_STATUS[dial.DialCallStatus],
			CallDuration: dial.DialCallDuration
		}
	});
}

/** `<Number url>`: the customer answered; they hear the notice of the queue whose number called them. */
export async function outboundNotice(services: VoiceServices, parentCallSid: string | undefined): Promise<string> {
	const found = parentCallSid ? await loadCall(services.db, parentCallSid) : null;
	const queue = found?.call.fromE164 ? await findVoiceQueue(services.db, found.call.fromE164) : null;
	return outboundNoticeTwiml(queue?.consentNotice);
}
