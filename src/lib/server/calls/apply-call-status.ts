/**
 * A call-progress status callback, for the customer's leg or an agent leg our Dial created
 * (which carries ParentCallSid). Each delivery is recorded once and folded into the call row
 * order-independently (fold-call-status.ts). When the customer's leg ends, hot state moves the
 * agent to wrap-up or frees the agent it was ringing for.
 */
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import type { Tx } from '../db/client';
import { calls, voiceQueues } from '../db/schema/calls';
import { SYSTEM_IDENTITY } from '../live/hot';
import { openCallbackTask } from '../callbacks/open-callback-task';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import type { TVoiceStatusCallback } from '../webhooks/voice-params';
import { addCallEvent, ensureCall, staffIdOrNull, type CallRow } from './call-archive';
import { agentIdFromClient, phoneNumberOrNull } from './caller-number';
import { FINAL_RANK, foldCallStatus, STATUS_RANK, type CallFacts } from './fold-call-status';
import { logAnswered, logCallEnd } from './log-inbound-events';
import { recordCallActivity, WRAPUP_GRACE_SECONDS } from './record-call-activity';
import { retryHotWriteLater } from './retry-hot-write';
import { closeAllSegments, recordSegment, startTalkIfIdle } from '../call-control/record-segment';
import type { VoiceServices } from './voice-services';
import { archiveJoinedTargetsEnd } from '../transfers/transfer-archive';
import { joinedTargetCallSid } from '$lib/transfers/handoff';

/** RFC 2822 `Timestamp` when it parses, else the arrival time. */
export function eventTime(timestamp: string | undefined, fallback: Date): Date {
	const ms = timestamp ? Date.parse(timestamp) : NaN;
	return Number.isFinite(ms) ? new Date(ms) : fallback;
}

export interface ApplyCallStatusResult {
	replay: boolean;
	/** True when this delivery ended the customer's leg. */
	ended: boolean;
	/** For an answered call that just ended: the queue's wrap-up seconds before the agent is available again. */
	wrapupSeconds?: number;
}

/** Wrap-up time for a call whose queue is unknown or gone. */
export const DEFAULT_WRAPUP_SECONDS = 60;

type ApplyCallStatusInput = {
	status: TVoiceStatusCallback;
	dedupeKey: string;
	now?: Date;
	/** Set when the status did not come from a callback (start-up reconciliation). */
	source?: string;
	/**
	 * The dialled customer's leg of an outbound call (outbound/outbound-status.ts): a child of the
	 * agent's leg, whose CallSid names the row; its answer is the call's answer.
	 */
	outboundLeg?: boolean;
};

/** Write the folded facts onto the call row and put this delivery on its timeline. */
async function archiveStatus(
	tx: Tx,
	row: CallRow,
	folded: CallFacts,
	event: { leg: 'agent' | 'customer'; at: Date; agentId: string | null; status: TVoiceStatusCallback; source?: string }
): Promise<void> {
	const { status } = event;
	await tx
		.update(calls)
		.set({
			status: folded.status,
			statusRank: folded.statusRank,
			receivedAt: folded.receivedAt,
			ringingAt: folded.ringingAt,
			answeredAt: folded.answeredAt,
			endedAt: folded.endedAt,
			agentCallSid: folded.agentCallSid,
			talkSeconds: folded.talkSeconds,
			waitSeconds: folded.waitSeconds,
			outcome: folded.outcome,
			agentId: folded.agentId === row.agentId ? row.agentId : staffIdOrNull(folded.agentId)
		})
		.where(eq(calls.id, row.id));
	if (!row.answeredAt && folded.answeredAt) await logAnswered(tx, row, folded.answeredAt, folded.agentId);
	await addCallEvent(tx, {
		callId: row.id,
		kind: `${event.leg === 'agent' ? 'agent' : 'status'}.${status.CallStatus}`,
		at: event.at,
		sequenceNumber: status.SequenceNumber,
		payload: {
			callSid: status.CallSid,
			duration: status.CallDuration ?? null,
			agentId: event.agentId,
			recordingSid: status.RecordingSid ?? null,
			...(event.source ? { source: event.source } : {})
		}
	});
}

/**
 * The customer's leg just ended: queue what follows (activity, a callback task, closing the
 * call, the end of wrap-up). Returns the queue's wrap-up seconds for an answered call.
 */
async function scheduleCallEnd(
	tx: Tx,
	services: VoiceServices,
	row: CallRow,
	folded: CallFacts,
	callSid: string,
	now: Date
): Promise<number | undefined> {
	await logCallEnd(tx, row.id, folded);
	// Whatever the call was doing (talk, a hold, a conference, monitoring) ends with it.
	await closeAllSegments(tx, row.id, now);
	// Unanswered calls are on the timeline now; answered ones at wrap-up, or by this job if it never comes.
	if (folded.outcome !== 'answered') {
		await recordCallActivity(tx, row.id);
		// A caller who gave up in the queue, or left a message, is owed a call back.
		await openCallbackTask(tx, row.id);
	}
	await services.jobs.enqueue(tx, 'close-call', { callId: row.id }, { startAfter: new Date(now.getTime() + WRAPUP_GRACE_SECONDS * 1000) });
	if (folded.outcome !== 'answered') return undefined;
	// The queue's wrap-up time: then the agent is offered calls again, saved form or not.
	const [queue] = row.queue ? await tx.select({ wrapupSeconds: voiceQueues.wrapupSeconds }).from(voiceQueues).where(eq(voiceQueues.name, row.queue)).limit(1) : [];
	const wrapupSeconds = queue?.wrapupSeconds ?? DEFAULT_WRAPUP_SECONDS;
	await services.jobs.enqueue(tx, 'end-wrapup', { callSid }, { startAfter: new Date(now.getTime() + wrapupSeconds * 1000) });
	// A three-way call's target on it at the end wraps up their part too, with the same time (hot state: transferLegs.ts).
	for (const transferId of await archiveJoinedTargetsEnd(tx, row.id, now)) {
		await services.jobs.enqueue(tx, 'end-wrapup', { callSid: joinedTargetCallSid(transferId) }, { startAfter: new Date(now.getTime() + wrapupSeconds * 1000) });
	}
	return wrapupSeconds;
}

export async function applyCallStatus(services: VoiceServices, input: ApplyCallStatusInput): Promise<ApplyCallStatusResult> {
	const { status } = input;
	const now = input.now ?? new Date();
	const at = eventTime(status.Timestamp, now);
	const leg = input.outboundLeg || !status.ParentCallSid ? 'customer' : 'agent';
	const callSid = status.ParentCallSid ?? status.CallSid;

	const result = await services.db.transaction(async (tx): Promise<ApplyCallStatusResult> => {
		if (!(await recordDeliveryOnce(tx, input.dedupeKey, 'voice.status'))) return { replay: true, ended: false };
		const row = await ensureCall(tx, {
			callSid,
			direction: input.outboundLeg || (status.Direction?.startsWith('outbound') && leg === 'customer') ? 'outbound' : 'inbound',
			fromRaw: status.From,
			toRaw: leg === 'customer' ? status.To : '',
			fromE164: phoneNumberOrNull(status.From),
			toE164: leg === 'customer' ? phoneNumberOrNull(status.To) : null,
			receivedAt: at
		});
		const agentId = leg === 'agent' ? agentIdFromClient(status.To) : null;
		const event = { status: status.CallStatus, at, callSid: status.CallSid, durationSeconds: status.CallDuration };
		let folded = foldCallStatus(row, { leg, ...event, agentId });
		// The customer answering an agent's dial is what an agent answering is for an inbound call.
		if (input.outboundLeg) folded = foldCallStatus(folded, { leg: 'agent', ...event, agentId: row.agentId });
		await archiveStatus(tx, row, folded, { leg, at, agentId, status, source: input.source });
		// The call's story (call_segments) starts with the answering agent's talk; call control and transfers go on from it.
		if (!row.answeredAt && folded.answeredAt && !folded.endedAt && folded.agentId) {
			await recordSegment(tx, { callId: row.id, kind: 'talk', agentId: folded.agentId, startedAt: now });
		} else if (row.answeredAt && leg === 'agent' && status.CallStatus === 'in-progress' && agentId && !folded.endedAt) {
			// A caller a transfer put back in line, taken by another agent: their own talk from now.
			await startTalkIfIdle(tx, { callId: row.id, agentId, at: now, answeredBefore: true });
		}
		const ended = leg === 'customer' && STATUS_RANK[status.CallStatus] === FINAL_RANK && row.statusRank < FINAL_RANK;
		if (!ended) return { replay: false, ended };
		const wrapupSeconds = await scheduleCallEnd(tx, services, row, folded, callSid, now);
		return wrapupSeconds === undefined ? { replay: false, ended } : { replay: false, ended, wrapupSeconds };
	});

	if (result.ended) {
		try {
			await services.hot.mutation(api.callWrapup.completeCall, { callSid, wrapupSeconds: result.wrapupSeconds }, SYSTEM_IDENTITY);
		} catch (error) {
			// The archive already holds the truth, so the webhook still succeeds; a job ends the call in hot state.
			await retryHotWriteLater(services, { kind: 'completeCall', args: { callSid, wrapupSeconds: result.wrapupSeconds } }, error);
		}
	}
	return result;
}
