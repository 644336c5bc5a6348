/** A staff member's settings, or the defaults when they never changed one. */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { userPreferences } from '../db/schema/preferences';
import { DEFAULT_PREFERENCES, type Preferences } from './preferences';

export async function getPreferences(db: Db, userId: string): Promise<Preferences> {
	const [row] = await db.select({ openRecordOn: userPreferences.openRecordOn }).from(userPreferences).where(eq(userPreferences.userId, userId)).limit(1);
	return row ? { openRecordOn: row.openRecordOn } : { ...DEFAULT_PREFERENCES };
}
