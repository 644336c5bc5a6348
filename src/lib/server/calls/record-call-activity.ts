/**
 * Every finished call leaves exactly one `call` activity on its customer's timeline: unanswered
 * calls (voicemail, abandoned, rejected) when the caller's leg ends, answered ones when the agent
 * saves the wrap-up (so disposition and notes are in it). The call row keeps the activity's id
 * and is locked while it is written, so retries and races write it once.
 */
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { recordActivity } from '../crm/record-activity';
import type { Db, Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { calls, type CallOutcome } from '../db/schema/calls';
import { api } from '$convex/_generated/api';
import { SYSTEM_IDENTITY, type HotState } from '../live/hot';
import { loadMissedBy } from './call-details';
import { logWrapupEnded } from './log-inbound-events';
import { callOwnerId } from './call-handler';
import { readyAfterHandoff } from './handoff-wrapup';
import { AppError } from '../errors';
import { transferPartOf } from '$lib/transfers/handoff';
import { recordingKey } from './fetch-recording';

/** `4m 12s`, `45s`. */
export function formatDuration(seconds: number | null | undefined): string {
	const s = Math.max(0, Math.round(seconds ?? 0));
	const m = Math.floor(s / 60);
	return m > 0 ? `${m}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function callSummary(call: {
	direction: 'inbound' | 'outbound';
	outcome: CallOutcome;
	agentName: string | null;
	talkSeconds: number | null;
	waitSeconds: number | null;
	/** Agents it rang who did not answer, in order. */
	missedBy?: string[];
}): string {
	const direction = call.direction === 'inbound' ? 'Inbound call' : 'Outbound call';
	const missed = call.missedBy?.length ? ` (missed by ${call.missedBy.join(', ')})` : '';
	switch (call.outcome) {
		case 'answered':
			return `${direction}, answered by ${call.agentName ?? 'an agent'}, ${formatDuration(call.talkSeconds)}${missed}`;
		case 'voicemail':
			return `${direction}, voicemail left${missed}`;
		case 'abandoned':
			if (call.direction === 'outbound') return `${direction}, not answered${missed}`;
			return `${direction}, abandoned after ${formatDuration(call.waitSeconds)} waiting${missed}`;
		case 'rejected':
			return `${direction}, rejected`;
	}
}


/**
 * Write the call's activity if it is due and not yet written; returns its id (or null when the
 * call has no customer or is not over). Run it inside the transaction that finished the call.
 */
export async function recordCallActivity(tx: Tx | Db, callId: string): Promise<string | null> {
	const [found] = await tx
		.select({ call: calls, agentName: user.name })
		.from(calls)
		.leftJoin(user, eq(user.id, calls.agentId))
		.where(eq(calls.id, callId))
		.for('update', { of: calls });
	if (!found) return null;
	const { call } = found;
	if (call.activityId) return call.activityId;
	if (!call.customerId || !call.outcome) return null;
	const missedBy = (await loadMissedBy(tx, [call.id])).get(call.id) ?? [];
	const activity = await recordActivity(tx, {
		customerId: call.customerId,
		kind: 'call',
		occurredAt: call.receivedAt,
		actorId: call.agentId,
		summary: callSummary({
			...call,
			outcome: call.outcome,
			agentName: found.agentName,
			missedBy: missedBy.map((m) => m.name)
		}),
		data: {
			callId: call.id,
			callSid: call.callSid,
			direction: call.direction,
			outcome: call.outcome,
			queue: call.queue,
			agentId: call.agentId,
			missedBy: missedBy.map((m) => m.agentId),
			waitSeconds: call.waitSeconds,
			talkSeconds: call.talkSeconds,
			wrapupSeconds: call.wrapupSeconds,
			disposition: call.disposition,
			notes: call.notes,
			recordingSid: call.recordingSid,
			// Known before the job finishes; the timeline plays it through calls.recordingUrl.
			recordingKey: call.recordingKey ?? (call.recordingSid ? recordingKey(call.callSid, call.recordingSid) : null)
		}
	});
	await tx.update(calls).set({ activityId: activity.id }).where(eq(calls.id, call.id));
	return activity.id;
}

/** Minutes an answered call waits for its wrap-up before the `close-call` job writes its activity without one. */
export const WRAPUP_GRACE_SECONDS = 15 * 60;

export interface EndWrapupData {
	callSid: string;
}

/**
 * The `end-wrapup` job: the queue's wrap-up time is over, so the agent is available again unless
 * they already are. A call with no ready time yet (no Ready now, no saved form) gets this moment,
 * so its wrap-up seconds stop here; safe to retry.
 */
export async function endWrapupJob(deps: { db: Db; hot: Pick<HotState, 'mutation'> }, data: EndWrapupData): Promise<void> {
	await deps.hot.mutation(api.callWrapup.endWrapup, { callSid: data.callSid }, SYSTEM_IDENTITY);
	await deps.db.transaction(async (tx) => {
		const readyAt = new Date();
		const [call] = await tx
			.update(calls)
			.set({ readyAt })
			.where(and(eq(calls.callSid, data.callSid), isNull(calls.readyAt), isNotNull(calls.endedAt)))
			.returning();
		if (call) await logWrapupEnded(tx, { ...call, agentId: await callOwnerId(tx, call) }, readyAt);
		// A transfer's part: the first agent's hand-off, a three-way call's target (no call row has their CallSid).
		const part = call ? null : transferPartOf(data.callSid);
		if (part) await readyAfterHandoff(tx, part.transferId, null, readyAt, part.side).catch((error: unknown) => {
			if (!(error instanceof AppError && error.code === 'CALL_NOT_FOUND')) throw error;
		});
	});
}

export interface CloseCallData {
	callId: string;
}

/** The `close-call` job: the safety net for an answered call whose agent never saved the wrap-up. */
export async function closeCallJob(deps: { db: Db }, data: CloseCallData): Promise<void> {
	await deps.db.transaction((tx) => recordCallActivity(tx, data.callId));
}
