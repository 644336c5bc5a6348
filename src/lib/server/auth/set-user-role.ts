/**
 * Change a staff member's role. The archive must keep at least one active admin, so demoting
 * the last one is refused (see admin/last-admin.ts). With an actor email the change is
 * written to the admin audit in the same transaction.
 */
import { eq } from 'drizzle-orm';
import type { Role } from '../../roles';
import { recordAdminAudit } from '../admin/audit';
import { lockActiveAdmins, refuseLastAdmin } from '../admin/last-admin';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { notFound } from '../errors';
import { staffUserColumns, toStaffUser, type StaffUser } from './staff-user';

export interface SetUserRoleInput {
	/** Who asks. The caller has already checked they are an admin. */
	actorId: string;
	/** The actor's email, for the audit row; admin-page changes always pass it. */
	actorEmail?: string;
	userId: string;
	role: Role;
}

export async function setUserRole(db: Db, input: SetUserRoleInput): Promise<StaffUser> {
	return db.transaction(async (tx) => {
		const admins = await lockActiveAdmins(tx);
		const [target] = await tx.select(staffUserColumns).from(user).where(eq(user.id, input.userId));
		if (!target) throw notFound('USER_NOT_FOUND', `No staff member has id ${input.userId}.`);
		if (target.role === input.role) return toStaffUser(target);
		if (input.role !== 'admin') refuseLastAdmin(admins, target, input.actorId, 'changing your own role');

		const [updated] = await tx.update(user).set({ role: input.role }).where(eq(user.id, target.id)).returning(staffUserColumns);
		if (!updated) throw notFound('USER_NOT_FOUND', `No staff member has id ${input.userId}.`);
		if (input.actorEmail !== undefined) {
			await recordAdminAudit(
				tx,
				{ id: input.actorId, email: input.actorEmail },
				{ action: 'user.set_role', entity: 'user', entityId: target.id, before: { role: target.role }, after: { role: updated.role } }
			);
		}
		return toStaffUser(updated);
	});
}
