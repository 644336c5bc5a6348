/**
 * Which transcripts a staff member may find (policy rule `search-scope`): the calls they may hear
 * (calls/call-access.ts's `call-listener`: their own calls, the voicemails and calls whose callback
 * task they hold, or may take while it is open), everything for managers, supervisors and admins.
 * Texts follow the shared inbox: every staff member reads every thread, so every text is findable.
 */
import { and, eq, inArray, or } from 'drizzle-orm';
import { roleAllows } from '$lib/roles';
import { eligibleQueues } from '../callbacks/eligible-queues';
import type { CallViewer } from '../calls/call-access';
import type { Db } from '../db/client';
import { callbackTasks } from '../db/schema/callbacks';

/** null: every call; otherwise the agent's own calls plus these (callback tasks). */
export type CallScope = null | { agentId: string; callIds: string[] };

export async function callScope(db: Db, viewer: CallViewer): Promise<CallScope> {
	if (roleAllows('manager', viewer.role)) return null;
	const queues = await eligibleQueues(db, viewer);
	const tasks = await db
		.select({ callId: callbackTasks.callId })
		.from(callbackTasks)
		.where(
			or(
				eq(callbackTasks.claimedBy, viewer.id),
				queues.length > 0 ? and(eq(callbackTasks.status, 'open'), inArray(callbackTasks.queue, queues)) : undefined
			)
		);
	return { agentId: viewer.id, callIds: [...new Set(tasks.map((t) => t.callId))] };
}
