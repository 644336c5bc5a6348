/**
 * Change some of a staff member's settings: one upsert, so two browsers saving at once both
 * land (the later write wins per field) and the row is never half written.
 */
import type { Db } from '../db/client';
import { userPreferences } from '../db/schema/preferences';
import { DEFAULT_PREFERENCES, type Preferences } from './preferences';

export async function updatePreferences(db: Db, userId: string, changes: Partial<Preferences>): Promise<Preferences> {
	const set = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<Preferences>;
	const [row] = await db
		.insert(userPreferences)
		.values({ userId, ...DEFAULT_PREFERENCES, ...set })
		.onConflictDoUpdate({ target: userPreferences.userId, set: { ...set, updatedAt: new Date() } })
		.returning({ openRecordOn: userPreferences.openRecordOn });
	if (!row) throw new Error('user_preferences upsert returned no row');
	return { openRecordOn: row.openRecordOn };
}
