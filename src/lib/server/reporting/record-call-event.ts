/**
 * The one way into the call event log: every call path (inbound here; outbound, campaigns,
 * transfers and holds from their own areas) calls recordCallEvent inside the transaction that
 * writes the call's facts. It records each event once (a replayed webhook adds nothing) and adds
 * it to its interval's aggregates in that same transaction, so the aggregates never disagree
 * with the log. An abandon shorter than the queue's S is stored as a short abandon.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { calls, voiceQueues } from '../db/schema/calls';
import { callLog, reportIntervals, type CallLogDirection, type CallLogType } from '../db/schema/reporting';
import { DEFAULT_TARGETS, type QueueTargets } from '../../reporting/metrics';
import { forgetRolledDay } from './record-agent-state';
import { bucketOf, CALL_SUM_FIELDS, intervalDelta, type IntervalSums } from './interval-delta';

export interface CallEventInput {
	/** calls.id */
	callId: string;
	type: CallLogType;
	at: Date;
	/** Defaults to the direction of the call's first event, else the call row's. */
	direction?: CallLogDirection;
	/** Defaults to the call's queue. */
	queue?: string | null;
	agentId?: string | null;
	/** wait (answered, abandoned), talk (ended), hold (resumed), wrap-up (wrapup_ended). */
	seconds?: number | null;
	/** Needed when the type may happen more than once on a call: e.g. `agent:attempt` for ringing, a hold's number. */
	key?: string;
	payload?: Record<string, unknown>;
}

/** Queue thresholds used when the queue is unknown (matches voice_queues' column defaults). */
export const DEFAULT_QUEUE_TARGETS: QueueTargets = DEFAULT_TARGETS;

export async function queueTargets(db: Db | Tx, queue: string): Promise<QueueTargets> {
	if (!queue) return DEFAULT_QUEUE_TARGETS;
	const [row] = await db
		.select({
			slTargetSeconds: voiceQueues.slTargetSeconds,
			slTargetPercent: voiceQueues.slTargetPercent,
			shortAbandonSeconds: voiceQueues.shortAbandonSeconds,
			waitAlertSeconds: voiceQueues.waitAlertSeconds
		})
		.from(voiceQueues)
		.where(eq(voiceQueues.name, queue))
		.limit(1);
	return row ?? DEFAULT_QUEUE_TARGETS;
}

/** When and where the call started, from its offered/placed event, else the call row. */
async function callStart(tx: Db | Tx, callId: string): Promise<{ at: Date; queue: string; direction: CallLogDirection } | null> {
	const [first] = await tx
		.select({ at: callLog.at, queue: callLog.queue, direction: callLog.direction })
		.from(callLog)
		.where(and(eq(callLog.callId, callId), inArray(callLog.type, ['offered', 'placed', 'offered_closed'])))
		.limit(1);
	if (first) return first;
	const [row] = await tx.select({ at: calls.receivedAt, queue: calls.queue, direction: calls.direction }).from(calls).where(eq(calls.id, callId));
	return row ? { at: row.at, queue: row.queue ?? '', direction: row.direction } : null;
}

/** Add `add` to one interval row, creating it at zero first. */
export async function addToInterval(
	tx: Db | Tx,
	row: { bucket: Date; queue: string; agentId: string; direction: CallLogDirection },
	add: Partial<IntervalSums>
): Promise<void> {
	const values = Object.fromEntries(CALL_SUM_FIELDS.map((f) => [f, add[f] ?? 0]));
	const set = Object.fromEntries(
		CALL_SUM_FIELDS.filter((f) => add[f]).map((f) => [f, sql`${reportIntervals[f]} + ${add[f] ?? 0}`])
	);
	await tx
		.insert(reportIntervals)
		.values({ ...row, ...values })
		.onConflictDoUpdate({ target: [reportIntervals.bucket, reportIntervals.queue, reportIntervals.agentId, reportIntervals.direction], set });
	await forgetRolledDay(tx, row.bucket);
}

/** Returns true when the event was new (false for a replay). */
export async function recordCallEvent(tx: Db | Tx, event: CallEventInput): Promise<boolean> {
	const isStart = event.type === 'offered' || event.type === 'placed' || event.type === 'offered_closed';
	const start = isStart ? null : await callStart(tx, event.callId);
	const queue = event.queue ?? start?.queue ?? '';
	const direction = event.direction ?? start?.direction ?? 'inbound';
	const targets = await queueTargets(tx, queue);
	const type = event.type === 'abandoned' && (event.seconds ?? 0) < targets.shortAbandonSeconds ? 'short_abandon' : event.type;
	const callStartedAt = isStart ? event.at : (start?.at ?? event.at);
	const agentId = event.agentId ?? '';
	const key = event.key ?? '';
	const [inserted] = await tx
		.insert(callLog)
		.values({ callId: event.callId, type, direction, at: event.at, callStartedAt, queue, agentId, seconds: event.seconds ?? null, key, payload: event.payload ?? {} })
		.onConflictDoNothing()
		.returning({ id: callLog.id });
	if (!inserted) return false;
	const delta = intervalDelta({ type, key, agentId, seconds: event.seconds ?? null, direction }, targets);
	if (delta) await addToInterval(tx, { bucket: bucketOf(callStartedAt), queue, agentId: delta.agentId, direction }, delta.add);
	return true;
}
