/** A customer's owner must be a real staff member; checked inside the writer's transaction. */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { fieldError } from './customer-input';

export async function assertOwnerExists(db: Db, ownerId: string | null | undefined): Promise<void> {
	if (ownerId == null) return;
	const [found] = await db.select({ id: user.id }).from(user).where(eq(user.id, ownerId));
	if (!found)
		throw fieldError('OWNER_NOT_FOUND', 'ownerId', `No staff member has the id ${ownerId}; pick an owner from the list.`);
}
