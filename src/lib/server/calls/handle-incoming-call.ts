/**
 * An inbound call, from the carrier's first request to the TwiML that rings an agent or queues
 * the caller. The archive comes first (caller record, call row, delivery ledger in one
 * transaction), then the routing decision in hot state, then TwiML. A retried delivery writes
 * nothing and gets the same answer, because routeInbound returns the decision already taken;
 * one for a call the archive has closed since is hung up instead of routed again.
 * Slow work (recordings, transcripts) is not done here; it follows from later callbacks as jobs.
 */
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import { recordUnknownCaller } from '../crm/record-unknown-caller';
import type { Db } from '../db/client';
import { calls } from '../db/schema/calls';
import { SYSTEM_IDENTITY } from '../live/hot';
import { recordCallEvent } from '../reporting/record-call-event';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import type { TVoiceRequest } from '../webhooks/voice-params';
import { addCallEvent, ensureCall, keepFirst, loadCall, upsertCall, type CallerView } from './call-archive';
import { phoneNumberOrNull } from './caller-number';
import { findVoiceQueue, isQueueOpen } from './find-voice-queue';
import { agentPickupTarget, handleAgentPickup } from './handle-agent-pickup';
import { retryHotWriteLater } from './retry-hot-write';
import { callOverTwiml, notOurNumberTwiml, routingTwiml, voicemailTwiml, type RoutingDecision } from './routing-twiml';
import type { VoiceServices } from './voice-services';

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
	const queue = toE164 ? await findVoiceQueue(db, toE164) : null;
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
	const { caller, ended } = await db.transaction(async (tx): Promise<{ caller: CallerView | null; ended: boolean }> => {
		const fresh = await recordDeliveryOnce(tx, dedupeKey, 'voice.incoming');
		if (!fresh) {
			const found = await loadCall(tx, call.CallSid);
			return { caller: found?.caller ?? null, ended: found?.call.endedAt != null };
		}
		const customer = fromE164 ? (await recordUnknownCaller(tx, { phone: fromE164 })).customer : null;
		const owned = { fromRaw: call.From, toRaw: call.To, fromE164, toE164, customerId: customer?.id ?? null, queue: queue.name, ...(open || !queue.voicemailEnabled ? {} : { voicemailAt: now }) };
		const row = await upsertCall(tx, base, owned);
		await addCallEvent(tx, {
			callId: row.id,
			kind: 'received',
			at: now,
			payload: { from: call.From, to: call.To, queue: queue.name, customerId: customer?.id ?? null, callerName: call.CallerName ?? null }
		});
		// With voicemail off the caller is told to call again and the call ends as abandoned.
		if (!open) await addCallEvent(tx, { callId: row.id, kind: queue.voicemailEnabled ? 'voicemail' : 'closed', at: now, payload: { reason: 'closed' } });
		// Only an open queue is offered a call: callers outside opening hours are in no service level.
		else await recordCallEvent(tx, { callId: row.id, type: 'offered', at: now, queue: queue.name, direction: 'inbound' });
		return { caller: customer ? { customerId: customer.id, name: customer.displayName, company: customer.company } : null, ended: false };
	});
	// A retry of a call the archive has closed meanwhile (e.g. at a restart, when the carrier no
	// longer knew it): routing it again would put a caller in hot state whom the archive says is gone.
	if (ended) return callOverTwiml();
	if (!open) return voicemailTwiml(queue);

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
		await retryHotWriteLater(services, { kind: 'routeInbound', args: route }, error);
		return routingTwiml({ decision: { kind: 'queued', queueName: queue.name, position: 0 }, callSid: call.CallSid, from: call.From, queue, caller, notice: true });
	}
	await recordRoutingDecision(db, call.CallSid, decision, now);
	return routingTwiml({ decision, callSid: call.CallSid, from: call.From, queue, caller, notice: true });
}

/** The offer or queue entry as call events (once per decision: a retried webhook gets the same one back). */
export async function recordRoutingDecision(
	db: Db,
	callSid: string,
	decision: { kind: string; agentId?: string; attempts?: number; position?: number; positionAtLeast?: boolean; queueName?: string },
	now: Date
): Promise<void> {
	if (decision.kind !== 'offered' && decision.kind !== 'queued') return;
	await db.transaction(async (tx) => {
		const found = await loadCall(tx, callSid);
		if (!found) return;
		const kind = decision.kind === 'offered' ? `offered:${decision.agentId}:${decision.attempts}` : 'queued';
		const key = `voice.routing:${callSid}:${kind}`;
		if (!(await recordDeliveryOnce(tx, key, 'voice.routing'))) return;
		if (decision.kind === 'queued') {
			await tx
				.update(calls)
				.set({ queuedAt: keepFirst(calls.queuedAt, now) })
				.where(eq(calls.id, found.call.id));
			await addCallEvent(tx, { callId: found.call.id, kind: 'queued', at: now, payload: { queue: decision.queueName, position: decision.position, ...(decision.positionAtLeast ? { positionAtLeast: true } : {}) }
			});
			await recordCallEvent(tx, { callId: found.call.id, type: 'queued', at: now, payload: { position: decision.position ?? null } });
		} else {
			await addCallEvent(tx, { callId: found.call.id, kind: 'offered', at: now, payload: { agentId: decision.agentId, attempt: decision.attempts } });
			await recordCallEvent(tx, { callId: found.call.id, type: 'ringing', at: now, agentId: decision.agentId ?? null, key: `${decision.agentId}:${decision.attempts}` });
		}
	});
}
