/**
 * Create a staff account with a password (admins from the admin page, the seeder for demo
 * users). Public sign-up is off; better-auth's admin createUser hashes the password and links
 * the credential account, and works server-side without a session.
 */
import { eq } from 'drizzle-orm';
import type { Role } from '../../roles';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { AppError, badRequest } from '../errors';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, type Auth } from './auth';
import { staffUserColumns, toStaffUser, type StaffUser } from './staff-user';

export interface CreateStaffUserInput {
	email: string;
	password: string;
	name: string;
	role: Role;
}

export async function createStaffUser(auth: Auth, db: Db, input: CreateStaffUserInput): Promise<StaffUser> {
	const email = input.email.trim().toLowerCase();
	const name = input.name.trim();
	if (!name) throw badRequest('NAME_REQUIRED', 'Enter the staff member’s name.');
	if (input.password.length < PASSWORD_MIN_LENGTH || input.password.length > PASSWORD_MAX_LENGTH) {
		throw badRequest('INVALID_PASSWORD', `The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long.`);
	}
	const [taken] = await db.select({ id: user.id }).from(user).where(eq(user.email, email));
	if (taken) throw new AppError('CONFLICT', 'EMAIL_TAKEN', `${email} already has an account.`);

	const created = await auth.api.createUser({ body: { email, password: input.password, name, role: input.role } });
	const [row] = await db.select(staffUserColumns).from(user).where(eq(user.id, created.user.id));
	if (!row) throw new Error(`better-auth created user ${created.user.id} but it is not in the archive`);
	return toStaffUser(row);
}
