/**
 * The first admin from ADMIN_EMAIL and ADMIN_PASSWORD, created at start only while the archive
 * has no staff at all: later starts leave the account (and a changed password) alone, so the
 * variables can stay set or be removed once the admin has signed in.
 */
import { count } from 'drizzle-orm';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { logger } from '../log';
import type { Auth } from './auth';
import { createAdmin } from './create-admin';

export interface BootstrapAdminInput {
	email: string;
	password: string;
	name?: string | undefined;
}

/** Answers whether an admin was created. */
export async function bootstrapAdmin(auth: Auth, db: Db, input: BootstrapAdminInput): Promise<boolean> {
	const [staff] = await db.select({ n: count() }).from(user);
	if ((staff?.n ?? 0) > 0) return false;
	const admin = await createAdmin(auth, db, input);
	logger('auth').info(`created the first admin ${admin.email} from ADMIN_EMAIL (the archive had no staff)`);
	return true;
}
