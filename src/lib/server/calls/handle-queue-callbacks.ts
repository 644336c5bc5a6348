/**
 * The caller's side of waiting in a queue: the hold loop (`<Enqueue waitUrl>`, fetched again
 * each time its TwiML ends) hands the oldest caller to an agent who became free, announces the
 * position over hold music and sends the caller to voicemail after the queue's maximum wait; the queue's exit
 * (`<Enqueue action>`) rings the agent, ends the call or takes a message.
 */
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import { calls } from '../db/schema/calls';
import { SYSTEM_IDENTITY } from '../live/hot';
import { logger } from '../log';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import type { TEnqueueAction, TQueueWait } from '../webhooks/voice-params';
import { addCallEvent, keepFirst, loadCall, type CallRow } from './call-archive';
import { findVoiceQueue, type VoiceQueue } from './find-voice-queue';
import { recordRoutingDecision } from './handle-incoming-call';
import { routingTwiml, voicemailTwiml } from './routing-twiml';
import { HOLD_MUSIC_PATH } from './hold-music';
import { retryHotWriteLater } from './retry-hot-write';
import { hangup, leave, play, response, say } from './twiml';
import type { VoiceServices } from './voice-services';

const log = logger('voice');

/** voice_queues.max_wait_seconds' default, for a caller whose queue the archive does not know. */
export const DEFAULT_MAX_WAIT_SECONDS = 300;

/**
 * One turn of the hold loop: the position, then the hold music (HOLD_MUSIC_SECONDS), then the
 * carrier fetches the wait URL again. Each turn also asks whether an agent became free, so a
 * turn is kept short: a free agent waits at most one turn for the oldest caller.
 */
export function holdTurnTwiml(position: number | undefined): string {
	return response(say(positionAnnouncement(position)), play(HOLD_MUSIC_PATH));
}

export function positionAnnouncement(position: number | undefined): string {
	if (!position || position < 1) return 'Please stay on the line; the next available agent will be with you shortly.';
	if (position === 1) return 'You are next in line.';
	return `You are caller number ${position} in line.`;
}

/**
 * The hold loop. Each turn first asks hot state whether this caller (when oldest in line) can go
 * to an agent who became free; if so the caller leaves the queue and the enqueue action rings
 * that agent. Otherwise: voicemail after the maximum wait, or the position and more hold.
 */
export async function handleQueueWait(services: VoiceServices, wait: TQueueWait): Promise<string> {
	try {
		const decision = await services.hot.mutation(api.callLine.offerWaiting, { callSid: wait.CallSid }, SYSTEM_IDENTITY);
		if (decision.kind === 'offered') return response(leave());
	} catch (error) {
		log.error('could not offer a waiting caller', { callSid: wait.CallSid, error: String(error) });
	}
	const found = await loadCall(services.db, wait.CallSid);
	const queue = found?.call.toE164 ? await findVoiceQueue(services.db, found.call.toE164) : null;
	// A caller the archive has no queue for (held by the incoming webhook's failure TwiML, which
	// no agent is offered) leaves for voicemail after the default wait instead of holding forever.
	if ((wait.QueueTime ?? 0) >= (queue?.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS)) return response(leave());
	return holdTurnTwiml(wait.QueuePosition);
}

/** The decision hot state holds for a caller who left the queue (routeInbound answers it unchanged for a known call). */
async function decisionOnLeave(services: VoiceServices, call: CallRow, queue: VoiceQueue | null) {
	return services.hot.mutation(
		api.callLine.routeInbound,
		{
			callSid: call.callSid,
			from: call.fromE164 ?? call.fromRaw,
			to: call.toE164 ?? call.toRaw,
			queueName: call.queue ?? queue?.name ?? 'default',
			requiredSkills: queue?.requiredSkills ?? []
		},
		SYSTEM_IDENTITY
	);
}

const TO_VOICEMAIL = new Set(['leave', 'queue-full', 'error', 'system-error']);

export async function handleEnqueueAction(
	services: VoiceServices,
	input: { exit: TEnqueueAction; dedupeKey: string; now?: Date }
): Promise<string> {
	const { exit } = input;
	const now = input.now ?? new Date();
	if (exit.QueueResult === 'leave') {
		// Left because an agent became free (offerWaiting), or because the wait was too long.
		const found = await loadCall(services.db, exit.CallSid);
		const queue = found?.call.toE164 ? await findVoiceQueue(services.db, found.call.toE164) : null;
		const decision = found ? await decisionOnLeave(services, found.call, queue).catch(() => null) : null;
		if (found && decision?.kind === 'offered') {
			await recordRoutingDecision(services.db, exit.CallSid, decision, now);
			return routingTwiml({
				decision,
				callSid: exit.CallSid,
				from: found.call.fromRaw,
				queue: { name: found.call.queue ?? queue?.name ?? 'default', ringSeconds: queue?.ringSeconds ?? 20 },
				caller: found.caller,
				notice: false
			});
		}
	}
	// The queue's current voicemail settings (an admin may have changed them while the caller
	// waited); when the archive fails too, the caller still gets the default voicemail.
	const settings = TO_VOICEMAIL.has(exit.QueueResult)
		? await loadCall(services.db, exit.CallSid)
				.then((found) => (found?.call.toE164 ? findVoiceQueue(services.db, found.call.toE164) : null))
				.catch(() => null)
		: null;
	const voicemail = TO_VOICEMAIL.has(exit.QueueResult) && settings?.voicemailEnabled !== false;
	await services.db.transaction(async (tx) => {
		if (!(await recordDeliveryOnce(tx, input.dedupeKey, 'voice.enqueue-action'))) return;
		const found = await loadCall(tx, exit.CallSid);
		if (!found) return;
		if (voicemail) await tx.update(calls).set({ voicemailAt: keepFirst(calls.voicemailAt, now) }).where(eq(calls.id, found.call.id));
		await addCallEvent(tx, {
			callId: found.call.id,
			kind: voicemail ? 'voicemail' : exit.QueueResult === 'hangup' ? 'abandoned' : 'dequeued',
			at: now,
			payload: { queueResult: exit.QueueResult, queueTime: exit.QueueTime ?? null }
		});
	});
	if (exit.QueueResult !== 'bridged' && exit.QueueResult !== 'bridging-in-process') {
		try {
			// The caller left the queue: the wallboard stops showing them waiting.
			await services.hot.mutation(api.callWrapup.completeCall, { callSid: exit.CallSid }, SYSTEM_IDENTITY);
		} catch (error) {
			await retryHotWriteLater(services, { kind: 'completeCall', args: { callSid: exit.CallSid } }, error);
		}
	}
	return TO_VOICEMAIL.has(exit.QueueResult) ? voicemailTwiml(settings) : response(hangup());
}
