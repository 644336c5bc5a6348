/**
 * An inbound call, from the carrier's first request to the TwiML that rings an agent or queues
 * the caller. The archive comes first (caller record, call row, delivery ledger in one
 * statement, record-incoming-call.ts), then the routing decision in hot state, then TwiML.
 * The queue comes from a short-lived per-process copy (findVoiceQueueCached), so a new call
 * costs two archive statements: the write above and the routing decision's grouped write
 * (its call event and the reporting log's offered and queued/ringing entries, shared with
 * the other calls decided meanwhile). A retried
 * delivery writes nothing and gets the same answer, because routeInbound returns the decision
 * already taken; one for a call the archive has closed since is hung up instead of routed again.
 * Slow work (recordings, transcripts) is not done here; it follows from later callbacks as jobs.
 */
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import { calls } from '../db/schema/calls';
import { SYSTEM_IDENTITY } from '../live/hot';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import type { TVoiceRequest } from '../webhooks/voice-params';
import { addCallEvent, ensureCall, keepFirst, loadCall, type CallerView } from './call-archive';
import { phoneNumberOrNull } from './caller-number';
import { liveTranscriptionFor } from './live-transcription-twiml';
import { findVoiceQueueCached, isQueueOpen } from './find-voice-queue';
import { agentPickupTarget, handleAgentPickup } from './handle-agent-pickup';
import { retryHotWriteLater } from './retry-hot-write';
import { callOverTwiml, notOurNumberTwiml, routingTwiml, voicemailTwiml, type RoutingDecision } from './routing-twiml';
import { recordIncomingCall, recordRoutingDecision } from './record-incoming-call';
import type { VoiceServices } from './voice-services';

/** Written once in record-incoming-call.ts; the queue callbacks and the hot-write retry import it from here. */
export { recordRoutingDecision } from './record-incoming-call';

export interface IncomingCallInput {
	call: TVoiceRequest;
	dedupeKey: string;
	now?: Date;
}

export async function handleIncomingCall(services: VoiceServices, { call, dedupeKey, now = new Date() }: IncomingCallInput): Promise<string> {
	const { db, hot } = services;
	const pickup = agentPickupTarget(call);
	if (pickup) return handleAgentPickup(services, { call, ...pickup, dedupeKey, now });
	const fromE164 = phoneNumberOrNull(call.From);
	const toE164 = phoneNumberOrNull(call.To);
	const queue = toE164 ? await findVoiceQueueCached(db, toE164) : null;
	const base = { callSid: call.CallSid, direction: 'inbound' as const, fromRaw: call.From, toRaw: call.To, fromE164, toE164, receivedAt: now };

	if (!queue) {
		await db.transaction(async (tx) => {
			if (!(await recordDeliveryOnce(tx, dedupeKey, 'voice.incoming'))) return;
			const row = await ensureCall(tx, base);
			await tx
				.update(calls)
				.set({ rejectedAt: keepFirst(calls.rejectedAt, now), rejectReason: 'number-not-routed', outcome: 'rejected' })
				.where(eq(calls.id, row.id));
			await addCallEvent(tx, { callId: row.id, kind: 'rejected', at: now, payload: { reason: 'number-not-routed', to: call.To } });
		});
		return notOurNumberTwiml();
	}

	const open = isQueueOpen(queue.openingHours, now);
	const recorded = await recordIncomingCall(db, {
		dedupeKey,
		callSid: call.CallSid,
		fromRaw: call.From,
		toRaw: call.To,
		fromE164,
		toE164,
		queue: queue.name,
		callerName: call.CallerName ?? null,
		now,
		// With voicemail off the caller is told to call again and the call ends as abandoned.
		closed: open ? null : { event: queue.voicemailEnabled ? 'voicemail' : 'closed', voicemail: queue.voicemailEnabled }
	});
	let caller: CallerView | null;
	let ended = false;
	if (recorded.fresh) caller = recorded.caller;
	else {
		const found = await loadCall(db, call.CallSid);
		caller = found?.caller ?? null;
		ended = found?.call.endedAt != null;
	}
	// A retry of a call the archive has closed meanwhile (e.g. at a restart, when the carrier no
	// longer knew it): routing it again would put a caller in hot state whom the archive says is gone.
	if (ended) return callOverTwiml();
	if (!open) {
		// Logged apart from offered: reports count callers of a closed queue, outside service level.
		await recordRoutingDecision(db, call.CallSid, null, now, { type: 'offered_closed', queue: queue.name });
		return voicemailTwiml(queue);
	}
	// Only an open queue is offered a call: callers outside opening hours are in no service level.
	// The offered event goes with the routing decision's grouped write below, also for a retried
	// delivery (the log keeps the first), so a crash between the archive write and that one still
	// leaves the call offered once: the carrier retries, and nothing was answered before it.
	const start = { type: 'offered' as const, queue: queue.name };

	const route = {
		callSid: call.CallSid,
		from: fromE164 ?? call.From,
		to: toE164 ?? call.To,
		customerId: caller?.customerId,
		customerName: caller?.name,
		customerCompany: caller?.company || undefined,
		queueName: queue.name,
		requiredSkills: queue.requiredSkills
	};
	let decision: RoutingDecision;
	try {
		decision = await hot.mutation(api.callLine.routeInbound, route, SYSTEM_IDENTITY);
	} catch (error) {
		// Hot state failed: the caller waits in the queue rather than hearing a hang-up, and a job
		// routes the call once hot state answers (the hold loop then offers it to an agent).
		await Promise.all([retryHotWriteLater(services, { kind: 'routeInbound', args: route }, error), recordRoutingDecision(db, call.CallSid, null, now, start)]);
		return routingTwiml({ decision: { kind: 'queued', queueName: queue.name, position: 0 }, callSid: call.CallSid, from: call.From, queue, caller, notice: true, transcription: liveTranscriptionFor(services.config, 'customer') });
	}
	await recordRoutingDecision(db, call.CallSid, decision, now, start);
	return routingTwiml({ decision, callSid: call.CallSid, from: call.From, queue, caller, notice: true, transcription: liveTranscriptionFor(services.config, 'customer') });
}
