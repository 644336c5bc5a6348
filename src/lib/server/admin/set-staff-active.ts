/**
 * Deactivate or reactivate a staff account. Deactivating sets the admin plugin's `banned`
 * flag (every request reads it, see auth/session-user.ts) and deletes the account's sessions
 * in the same transaction, so they are signed out at once, and takes them off hot state's
 * roster so no call is offered to them. The last active admin cannot be deactivated.
 */
import { eq } from 'drizzle-orm';
import { staffUserColumns, toStaffUser, type StaffUser } from '../auth/staff-user';
import type { Db } from '../db/client';
import { session, user } from '../db/schema/auth';
import { notFound } from '../errors';
import type { HotState } from '../live/hot';
import { recordAdminAudit, type AdminActor } from './audit';
import { lockActiveAdmins, refuseLastAdmin } from './last-admin';
import { syncHotRoster } from './sync-hot-roster';

export interface SetStaffActiveInput {
	userId: string;
	active: boolean;
}

export const DEACTIVATED_REASON = 'Deactivated by an administrator';

export async function setStaffActive(db: Db, hot: HotState, actor: AdminActor, input: SetStaffActiveInput): Promise<StaffUser> {
	return db.transaction(async (tx) => {
		const admins = await lockActiveAdmins(tx);
		const [target] = await tx.select(staffUserColumns).from(user).where(eq(user.id, input.userId));
		if (!target) throw notFound('USER_NOT_FOUND', `No staff member has id ${input.userId}.`);
		if (target.banned === !input.active) return toStaffUser(target);
		if (!input.active) refuseLastAdmin(admins, target, actor.id, 'deactivating your own account');

		const [updated] = await tx
			.update(user)
			.set(input.active ? { banned: false, banReason: null, banExpires: null } : { banned: true, banReason: DEACTIVATED_REASON, banExpires: null })
			.where(eq(user.id, target.id))
			.returning(staffUserColumns);
		if (!updated) throw notFound('USER_NOT_FOUND', `No staff member has id ${input.userId}.`);
		if (!input.active) await tx.delete(session).where(eq(session.userId, target.id));
		await recordAdminAudit(tx, actor, {
			action: input.active ? 'user.reactivate' : 'user.deactivate',
			entity: 'user',
			entityId: target.id,
			before: { banned: target.banned },
			after: { banned: updated.banned }
		});
		// Last, so a hot-state failure rolls the archive change back too.
		await syncHotRoster(tx, hot);
		return toStaffUser(updated);
	});
}
