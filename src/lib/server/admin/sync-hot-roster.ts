/**
 * Bring hot state's agent roster in line with the archive's active staff, the way start-up
 * hydration does (live/rebuild-hot-state.ts), so a deactivated person is offered no more calls
 * at once. Reads through the caller's transaction, so it sees the change being made. Batched
 * and paged like hydration: one mutation over the whole staff exceeds Convex's limits.
 */
import type { Tx } from '../db/client';
import { user } from '../db/schema/auth';
import type { HotState } from '../live/hot';
import { rosterOf, syncRoster } from '../live/rebuild-hot-state';

export async function syncHotRoster(tx: Tx, hot: HotState): Promise<void> {
	await syncRoster(hot, rosterOf(await tx.select({ id: user.id, name: user.name, role: user.role, banned: user.banned }).from(user)));
}
