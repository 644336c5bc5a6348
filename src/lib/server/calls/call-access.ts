/**
 * Who may hear a call (policy rule `call-listener`): its recording, and the wrap-up notes the
 * timeline shows with it. The call's agent, whoever holds its callback task (a voicemail has no
 * agent; the agent calling back needs to hear it) or may take it while it is open (the callbacks
 * page lists its voicemail), and managers, supervisors and admins.
 * Switchboard has no per-queue supervisors, so every supervisor counts. Other staff still see
 * that the call happened (direction, outcome, queue, agent, durations, disposition) on the
 * customer's timeline, without its notes or recording.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { roleAllows, type Role } from '$lib/roles';
import { eligibleQueues } from '../callbacks/eligible-queues';
import type { Db, Tx } from '../db/client';
import { callbackTasks } from '../db/schema/callbacks';
import { calls } from '../db/schema/calls';
import { AppError, notFound } from '../errors';
import { NO_TRANSCRIPT } from '../transcripts/transcript-view';
import type { CallDetailView } from './call-details';

export interface CallViewer {
	id: string;
	role: Role;
}

/** Of these calls, the ids `viewer` may hear. */
export async function audibleCalls(db: Db | Tx, viewer: CallViewer, callIds: readonly string[]): Promise<Set<string>> {
	const ids = [...new Set(callIds)];
	if (ids.length === 0) return new Set();
	if (roleAllows('manager', viewer.role)) return new Set(ids);
	const [own, tasks] = await Promise.all([
		db
			.select({ id: calls.id })
			.from(calls)
			.where(and(inArray(calls.id, ids), eq(calls.agentId, viewer.id))),
		db
			.select({ id: callbackTasks.callId, status: callbackTasks.status, claimedBy: callbackTasks.claimedBy, queue: callbackTasks.queue })
			.from(callbackTasks)
			.where(inArray(callbackTasks.callId, ids))
	]);
	const audible = new Set([...own.map((r) => r.id), ...tasks.filter((t) => t.claimedBy === viewer.id).map((t) => t.id)]);
	// An open task is listed, voicemail and all, to the agents who may take it (callbacks/eligible-queues.ts).
	const open = tasks.filter((t) => t.status === 'open' && !audible.has(t.id));
	if (open.length > 0) {
		const queues = new Set(await eligibleQueues(db, viewer));
		for (const task of open) if (queues.has(task.queue)) audible.add(task.id);
	}
	return audible;
}

/** Refuses with NOT_YOUR_CALL unless `viewer` may hear the call (CALL_NOT_FOUND when there is none). */
export async function assertMayHearCall(db: Db | Tx, viewer: CallViewer, callId: string): Promise<void> {
	if ((await audibleCalls(db, viewer, [callId])).has(callId)) return;
	const [exists] = await db.select({ id: calls.id }).from(calls).where(eq(calls.id, callId));
	if (!exists) throw notFound('CALL_NOT_FOUND', 'No such call.');
	throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', "Only the call's agent, the agent calling back, or a manager or supervisor can hear this call.");
}

/** The call as staff who may not hear it see it: no notes, no recording, no transcript. */
export function withoutPrivateParts(view: CallDetailView): CallDetailView {
	return { ...view, notes: '', recording: { status: 'none' }, transcript: NO_TRANSCRIPT };
}

/** The activity snapshot's copies of the same (record-call-activity.ts writes them into `data`). */
const PRIVATE_DATA_KEYS = ['notes', 'recordingSid', 'recordingKey'];

/** `items` with the calls `viewer` may not hear stripped of their notes and recording, in the view and in the snapshot. */
export async function redactCallsFor<T extends { call: CallDetailView | null; data: Record<string, unknown> }>(
	db: Db | Tx,
	viewer: CallViewer,
	items: T[]
): Promise<T[]> {
	const audible = await audibleCalls(
		db,
		viewer,
		items.flatMap((item) => (item.call ? [item.call.callId] : []))
	);
	return items.map((item) => {
		if (!item.call || audible.has(item.call.callId)) return item;
		const data = Object.fromEntries(Object.entries(item.data).filter(([key]) => !PRIVATE_DATA_KEYS.includes(key)));
		return { ...item, data, call: withoutPrivateParts(item.call) };
	});
}
