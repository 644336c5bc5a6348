/** A staff account as the admin pages see it, read straight from the sign-in tables. */
import { isRole, type Role } from '../../roles';
import { user } from '../db/schema/auth';

export interface StaffUser {
	id: string;
	name: string;
	email: string;
	role: Role;
	createdAt: Date;
	banned: boolean;
}

/** The columns a StaffUser is built from, for select() and returning(). */
export const staffUserColumns = {
	id: user.id,
	name: user.name,
	email: user.email,
	role: user.role,
	createdAt: user.createdAt,
	banned: user.banned
};

export function toStaffUser(row: { id: string; name: string; email: string; role: string; createdAt: Date; banned: boolean }): StaffUser {
	// The user_role_check constraint keeps other values out of the table.
	if (!isRole(row.role)) throw new Error(`user ${row.id} has unknown role ${row.role}`);
	return { ...row, role: row.role };
}
