/**
 * An admin creates a staff account. Unlike createStaffUser (the seeder's path through
 * better-auth's API), the user row, its credential and the audit row are written in one
 * transaction, so a failed audit leaves no account behind. The hash is better-auth's own.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Role } from '../../roles';
import type { Auth } from '../auth/auth';
import { staffUserColumns, toStaffUser, type StaffUser } from '../auth/staff-user';
import type { Db } from '../db/client';
import { account, user } from '../db/schema/auth';
import { AppError } from '../errors';
import { recordAdminAudit, type AdminActor } from './audit';

export interface CreateStaffAccountInput {
	email: string;
	name: string;
	role: Role;
	/** Already checked for length by the caller's schema. */
	password: string;
}

export async function createStaffAccount(auth: Auth, db: Db, actor: AdminActor, input: CreateStaffAccountInput): Promise<StaffUser> {
	const email = input.email.trim().toLowerCase();
	const name = input.name.trim();
	const hash = await (await auth.$context).password.hash(input.password);
	return db.transaction(async (tx) => {
		const [taken] = await tx.select({ id: user.id }).from(user).where(eq(user.email, email));
		if (taken) throw new AppError('CONFLICT', 'EMAIL_TAKEN', `${email} already has an account.`);
		const id = randomUUID();
		const [row] = await tx.insert(user).values({ id, email, name, role: input.role, emailVerified: true }).returning(staffUserColumns);
		if (!row) throw new Error(`inserting user ${email} returned no row`);
		await tx.insert(account).values({ id: randomUUID(), accountId: id, providerId: 'credential', userId: id, password: hash });
		const created = toStaffUser(row);
		await recordAdminAudit(tx, actor, { action: 'user.create', entity: 'user', entityId: id, before: null, after: { email, name, role: created.role } });
		return created;
	});
}
