/**
 * The archive must keep at least one active admin. Callers lock the active admin rows first
 * (FOR UPDATE) so two admins removing each other at the same moment cannot both succeed.
 */
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { AppError } from '../errors';

/** Lock the active admins and answer their ids. */
export async function lockActiveAdmins(tx: Tx): Promise<string[]> {
	const rows = await tx
		.select({ id: user.id })
		.from(user)
		.where(and(eq(user.role, 'admin'), eq(user.banned, false)))
		.for('update');
	return rows.map((r) => r.id);
}

/** Refuse when `target` is the only active admin; `what` words the change, e.g. "changing your own role". */
export function refuseLastAdmin(admins: string[], target: { id: string; name: string }, actorId: string, what: string): void {
	if (!admins.includes(target.id) || admins.some((id) => id !== target.id)) return;
	throw new AppError(
		'CONFLICT',
		'LAST_ADMIN',
		actorId === target.id
			? `You are the last admin: make someone else an admin before ${what}.`
			: `${target.name} is the last admin: make someone else an admin first.`
	);
}
