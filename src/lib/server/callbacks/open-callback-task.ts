/**
 * An unanswered call opens its callback task, in the transaction that ended the call: a caller
 * who hung up after waiting in a queue (past a short grace, so misdials owe nothing) or who left
 * a voicemail. One task per call, however often the ending is replayed; callers with no number to
 * ring back (anonymous, SIP) get none. The task goes on the customer's timeline.
 */
import { eq } from 'drizzle-orm';
import { recordActivity } from '../crm/record-activity';
import type { Db, Tx } from '../db/client';
import { callbackTasks, type CallbackReason } from '../db/schema/callbacks';
import { calls } from '../db/schema/calls';
import { formatDuration } from '../calls/record-call-activity';
import { recordCallEvent } from '../reporting/record-call-event';

/** Callers who hang up sooner than this (a misdial, a change of mind) are not called back. */
export const SHORT_ABANDON_SECONDS = 5;

export function callbackSummary(reason: CallbackReason, queue: string, waitSeconds: number | null): string {
	return reason === 'voicemail'
		? `Callback owed: voicemail left for the ${queue} queue`
		: `Callback owed: hung up after ${formatDuration(waitSeconds)} waiting for the ${queue} queue`;
}

/** Returns the task id when this call opened one now, else null (not owed, or already open). */
export async function openCallbackTask(tx: Tx | Db, callId: string): Promise<string | null> {
	const [call] = await tx.select().from(calls).where(eq(calls.id, callId));
	if (!call?.queue || !call.fromE164 || call.direction !== 'inbound') return null;
	let reason: CallbackReason;
	if (call.outcome === 'voicemail') reason = 'voicemail';
	else if (call.outcome === 'abandoned' && (call.waitSeconds ?? 0) >= SHORT_ABANDON_SECONDS) reason = 'abandoned';
	else return null;
	const [task] = await tx
		.insert(callbackTasks)
		.values({ callId, queue: call.queue, reason, customerId: call.customerId, callerNumber: call.fromE164, waitSeconds: call.waitSeconds, createdAt: call.endedAt ?? new Date() })
		.onConflictDoNothing({ target: callbackTasks.callId })
		.returning({ id: callbackTasks.id });
	if (!task) return null;
	await recordCallEvent(tx, { callId, type: 'callback_requested', at: call.endedAt ?? new Date(), payload: { taskId: task.id, reason } });
	if (call.customerId) {
		const activity = await recordActivity(tx, {
			customerId: call.customerId,
			kind: 'callback',
			occurredAt: call.endedAt ?? new Date(),
			summary: callbackSummary(reason, call.queue, call.waitSeconds),
			data: { taskId: task.id, callId, queue: call.queue, reason }
		});
		await tx.update(callbackTasks).set({ activityId: activity.id }).where(eq(callbackTasks.id, task.id));
	}
	return task.id;
}
