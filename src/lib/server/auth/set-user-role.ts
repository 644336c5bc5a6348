/**
 * Change a staff member's role. The archive must keep at least one active admin, so demoting
 * the last one is refused; admin rows are locked first so two admins demoting each other at
 * the same moment cannot both succeed.
 */
import { and, eq } from 'drizzle-orm';
import type { Role } from '../../roles';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { AppError, notFound } from '../errors';
import { staffUserColumns, toStaffUser, type StaffUser } from './staff-user';

export interface SetUserRoleInput {
	/** Who asks; only used to word the refusal. The caller has already checked they are an admin. */
	actorId: string;
	userId: string;
	role: Role;
}

export async function setUserRole(db: Db, input: SetUserRoleInput): Promise<StaffUser> {
	return db.transaction(async (tx) => {
		const admins = await tx
			.select({ id: user.id })
			.from(user)
			.where(and(eq(user.role, 'admin'), eq(user.banned, false)))
			.for('update');
		const [target] = await tx.select(staffUserColumns).from(user).where(eq(user.id, input.userId));
		if (!target) throw notFound('USER_NOT_FOUND', `No staff member has id ${input.userId}.`);
		if (target.role === input.role) return toStaffUser(target);

		const losesAdmin = target.role === 'admin' && input.role !== 'admin';
		if (losesAdmin && admins.every((a) => a.id === target.id)) {
			throw new AppError(
				'CONFLICT',
				'LAST_ADMIN',
				input.actorId === target.id
					? 'You are the last admin: make someone else an admin before changing your own role.'
					: `${target.name} is the last admin: make someone else an admin first.`
			);
		}
		const [updated] = await tx.update(user).set({ role: input.role }).where(eq(user.id, target.id)).returning(staffUserColumns);
		if (!updated) throw notFound('USER_NOT_FOUND', `No staff member has id ${input.userId}.`);
		return toStaffUser(updated);
	});
}
