/**
 * An admin account from outside the app (`npm run create-admin`, or ADMIN_EMAIL/ADMIN_PASSWORD
 * on an empty archive), so a production install never depends on credentials anyone else knows.
 * Stricter than the admin page's rule: the first admin's password guards everything else.
 */
import { z } from 'zod';
import type { Db } from '../db/client';
import { badRequest } from '../errors';
import type { Auth } from './auth';
import { createStaffUser } from './create-staff-user';
import type { StaffUser } from './staff-user';

export const ADMIN_PASSWORD_MIN_LENGTH = 12;

export interface CreateAdminInput {
	email: string;
	password: string;
	name?: string | undefined;
}

/** Create an admin, refusing a malformed or taken email and a password under 12 characters. */
export async function createAdmin(auth: Auth, db: Db, input: CreateAdminInput): Promise<StaffUser> {
	const email = input.email.trim().toLowerCase();
	if (!z.email().safeParse(email).success) throw badRequest('INVALID_EMAIL', `"${input.email}" is not an email address.`);
	if (input.password.length < ADMIN_PASSWORD_MIN_LENGTH) {
		throw badRequest('PASSWORD_TOO_SHORT', `The admin password must be at least ${ADMIN_PASSWORD_MIN_LENGTH} characters long.`);
	}
	return createStaffUser(auth, db, { email, password: input.password, name: input.name?.trim() || 'Administrator', role: 'admin' });
}
