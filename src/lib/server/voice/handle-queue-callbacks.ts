/**
 * The caller's side of waiting in a queue: the hold loop (`<Enqueue waitUrl>`, fetched again
 * each time its TwiML ends) announces the position and sends the caller to voicemail after the
 * queue's maximum wait; the queue's exit (`<Enqueue action>`) ends the call or takes a message.
 */
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import { calls } from '../db/schema/voice';
import { SYSTEM_IDENTITY } from '../live/hot';
import { logger } from '../log';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import type { TEnqueueAction, TQueueWait } from '../webhooks/voice-params';
import { addCallEvent, keepFirst, loadCall } from './call-archive';
import { findVoiceQueue } from './find-voice-queue';
import { voicemailTwiml } from './routing-twiml';
import { hangup, leave, pause, response, say } from './twiml';
import type { VoiceServices } from './voice-services';

const log = logger('voice');

/** Seconds of hold between announcements. */
export const HOLD_SECONDS = 15;

export function positionAnnouncement(position: number | undefined): string {
	if (!position || position < 1) return 'Please stay on the line; the next available agent will be with you shortly.';
	if (position === 1) return 'You are next in line. Please stay on the line.';
	return `You are caller number ${position} in line. Please stay on the line.`;
}

/** The hold loop: read-only, so it answers in one indexed query. */
export async function handleQueueWait(services: VoiceServices, wait: TQueueWait): Promise<string> {
	const found = await loadCall(services.db, wait.CallSid);
	const queue = found?.call.toE164 ? await findVoiceQueue(services.db, found.call.toE164) : null;
	if (queue && (wait.QueueTime ?? 0) >= queue.maxWaitSeconds) return response(leave());
	return response(say(positionAnnouncement(wait.QueuePosition)), pause(HOLD_SECONDS));
}

const TO_VOICEMAIL = new Set(['leave', 'queue-full', 'error', 'system-error']);

export async function handleEnqueueAction(
	services: VoiceServices,
	input: { exit: TEnqueueAction; dedupeKey: string; now?: Date }
): Promise<string> {
	const { exit } = input;
	const now = input.now ?? new Date();
	const voicemail = TO_VOICEMAIL.has(exit.QueueResult);
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
			await services.hot.mutation(api.calls.completeCall, { callSid: exit.CallSid }, SYSTEM_IDENTITY);
		} catch (error) {
			log.error('could not take the caller out of the hot-state queue', { callSid: exit.CallSid, error: String(error) });
		}
	}
	return voicemail ? voicemailTwiml() : response(hangup());
}
