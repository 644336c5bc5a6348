/**
 * Close a claimed callback with its outcome and notes, or hand it back to the queue. Only the
 * agent holding it may, or a supervisor (who can also close a task someone left claimed).
 */
import { and, eq } from 'drizzle-orm';
import { roleAllows } from '$lib/roles';
import type { Db } from '../db/client';
import { callbackTasks, type CallbackOutcome } from '../db/schema/callbacks';
import { AppError } from '../errors';
import { recordCallEvent } from '../reporting/record-call-event';
import { loadCallbackViews, type CallbackTaskView } from './callback-view';
import { findTask } from './claim-callback-task';
import type { Staff } from './eligible-queues';

async function holdable(db: Db, staff: Staff, taskId: string) {
	const task = await findTask(db, taskId);
	if (task.status === 'done') throw new AppError('CONFLICT', 'TASK_DONE', 'This callback is already done.');
	if (task.status === 'open') throw new AppError('CONFLICT', 'TASK_NOT_CLAIMED', 'Take this callback before closing it.');
	if (task.claimedBy !== staff.id && !roleAllows('supervisor', staff.role)) {
		throw new AppError('FORBIDDEN', 'NOT_YOUR_TASK', 'Only the agent who took this callback (or a supervisor) can close it.');
	}
	return task;
}

async function view(db: Db, taskId: string): Promise<CallbackTaskView> {
	const found = (await loadCallbackViews(db, [taskId])).get(taskId);
	if (!found) throw new Error(`callback task ${taskId} vanished`);
	return found;
}

export async function completeCallbackTask(
	db: Db,
	staff: Staff,
	input: { taskId: string; outcome: CallbackOutcome; notes: string },
	now = new Date()
): Promise<CallbackTaskView> {
	const task = await holdable(db, staff, input.taskId);
	await db.transaction(async (tx) => {
		const [done] = await tx
			.update(callbackTasks)
			.set({ status: 'done', outcome: input.outcome, notes: input.notes, completedBy: staff.id, completedAt: now })
			.where(and(eq(callbackTasks.id, task.id), eq(callbackTasks.status, 'claimed')))
			.returning({ id: callbackTasks.id, callId: callbackTasks.callId });
		if (!done) throw new AppError('CONFLICT', 'TASK_DONE', 'This callback was closed a moment ago.');
		await recordCallEvent(tx, { callId: done.callId, type: 'callback_completed', at: now, agentId: staff.id, payload: { taskId: done.id, outcome: input.outcome } });
	});
	return view(db, task.id);
}

export async function releaseCallbackTask(db: Db, staff: Staff, taskId: string): Promise<CallbackTaskView> {
	const task = await holdable(db, staff, taskId);
	await db
		.update(callbackTasks)
		.set({ status: 'open', claimedBy: null, claimedAt: null })
		.where(and(eq(callbackTasks.id, task.id), eq(callbackTasks.status, 'claimed')));
	return view(db, task.id);
}
