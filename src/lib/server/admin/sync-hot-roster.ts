/**
 * Bring hot state's agent roster in line with the archive's active staff, the way start-up
 * hydration does (live/rebuild-hot-state.ts), so a deactivated person is offered no more calls
 * at once. Reads through the caller's transaction, so it sees the change being made.
 */
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import { isRole } from '../../roles';
import type { Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { SYSTEM_IDENTITY, type HotState } from '../live/hot';

export async function syncHotRoster(tx: Tx, hot: HotState): Promise<void> {
	const active = await tx.select({ id: user.id, name: user.name, role: user.role }).from(user).where(eq(user.banned, false));
	const agents = active.flatMap((u) => (isRole(u.role) ? [{ userId: u.id, name: u.name, role: u.role }] : []));
	await hot.mutation(api.agentStatus.hydrate, { agents, removeMissing: true }, SYSTEM_IDENTITY);
}
