/**
 * Take a callback task. The claim is one conditional update (`status = 'open'` in its WHERE), so
 * of any number of agents claiming at once exactly one wins; the others learn who has it.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { callbackTasks } from '../db/schema/callbacks';
import { AppError } from '../errors';
import { loadCallbackViews, type CallbackTaskView } from './callback-view';
import { eligibleQueues, type Staff } from './eligible-queues';

export async function findTask(db: Db, taskId: string) {
	const [task] = await db.select().from(callbackTasks).where(eq(callbackTasks.id, taskId));
	if (!task) throw new AppError('NOT_FOUND', 'TASK_NOT_FOUND', 'No such callback task; it may have been removed.');
	return task;
}

export async function claimCallbackTask(db: Db, staff: Staff, taskId: string, now = new Date()): Promise<CallbackTaskView> {
	const task = await findTask(db, taskId);
	if (!(await eligibleQueues(db, staff)).includes(task.queue)) {
		throw new AppError('FORBIDDEN', 'NOT_IN_QUEUE', `Only agents with the ${task.queue} queue's skills can take its callbacks.`);
	}
	const [won] = await db
		.update(callbackTasks)
		.set({ status: 'claimed', claimedBy: staff.id, claimedAt: now })
		.where(and(eq(callbackTasks.id, taskId), eq(callbackTasks.status, 'open')))
		.returning({ id: callbackTasks.id });
	if (!won) {
		const [holder] = await db
			.select({ status: callbackTasks.status, claimedBy: callbackTasks.claimedBy, name: user.name })
			.from(callbackTasks)
			.leftJoin(user, eq(user.id, callbackTasks.claimedBy))
			.where(eq(callbackTasks.id, taskId));
		if (holder?.claimedBy === staff.id && holder.status === 'claimed') throw new AppError('CONFLICT', 'ALREADY_YOURS', 'You already have this callback.');
		throw new AppError(
			'CONFLICT',
			'TASK_TAKEN',
			holder?.status === 'done' ? 'This callback is already done.' : `${holder?.name ?? 'Another agent'} has already taken this callback.`
		);
	}
	const view = (await loadCallbackViews(db, [taskId])).get(taskId);
	if (!view) throw new Error(`callback task ${taskId} vanished after its claim`);
	return view;
}
