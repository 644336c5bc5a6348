/**
 * An admin sets a new password for a staff member (who forgot theirs, or whose password may
 * have leaked): the credential's hash is replaced and their sessions end, in one transaction
 * with the audit row. The password itself is never audited or logged.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Auth } from '../auth/auth';
import type { Db } from '../db/client';
import { account, session, user } from '../db/schema/auth';
import { notFound } from '../errors';
import { recordAdminAudit, type AdminActor } from './audit';

export interface ResetStaffPasswordInput {
	userId: string;
	/** Already checked for length by the caller's schema. */
	password: string;
}

export async function resetStaffPassword(auth: Auth, db: Db, actor: AdminActor, input: ResetStaffPasswordInput): Promise<void> {
	const hash = await (await auth.$context).password.hash(input.password);
	await db.transaction(async (tx) => {
		const [target] = await tx.select({ id: user.id }).from(user).where(eq(user.id, input.userId)).for('update');
		if (!target) throw notFound('USER_NOT_FOUND', `No staff member has id ${input.userId}.`);
		const credential = and(eq(account.userId, target.id), eq(account.providerId, 'credential'));
		const updated = await tx.update(account).set({ password: hash }).where(credential).returning({ id: account.id });
		// Accounts made without a password (tests, future SSO) get a credential now.
		if (updated.length === 0) {
			await tx.insert(account).values({ id: randomUUID(), accountId: target.id, providerId: 'credential', userId: target.id, password: hash });
		}
		const ended = await tx.delete(session).where(eq(session.userId, target.id)).returning({ id: session.id });
		await recordAdminAudit(tx, actor, {
			action: 'user.reset_password',
			entity: 'user',
			entityId: target.id,
			before: null,
			after: { passwordChanged: true, sessionsEnded: ended.length }
		});
	});
}
