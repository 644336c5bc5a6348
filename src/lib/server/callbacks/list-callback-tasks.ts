/** The callbacks page: open tasks in the queues the staff member may take, and the ones they hold. */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { callbackTasks } from '../db/schema/callbacks';
import { selectCallbackViews, type CallbackTaskView } from './callback-view';
import { eligibleQueues, type Staff } from './eligible-queues';

export interface CallbackTaskList {
	/** Queues whose tasks this person may take. */
	queues: string[];
	/** Unclaimed, oldest first. */
	open: CallbackTaskView[];
	/** Claimed by this person and not done yet. */
	mine: CallbackTaskView[];
}

export async function listCallbackTasks(db: Db, staff: Staff): Promise<CallbackTaskList> {
	const queues = await eligibleQueues(db, staff);
	const [open, mine] = await Promise.all([
		queues.length ? selectCallbackViews(db, and(eq(callbackTasks.status, 'open'), inArray(callbackTasks.queue, queues))) : Promise.resolve([]),
		selectCallbackViews(db, and(eq(callbackTasks.status, 'claimed'), eq(callbackTasks.claimedBy, staff.id)))
	]);
	return { queues, open, mine };
}
