/**
 * Each staff member's own settings, kept in the archive so they follow the person to any
 * browser. One row per user, written on first change; a missing row means the defaults.
 */
import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from './auth';

/** When the softphone opens the caller's customer record by itself: never, as the call rings, or once answered. */
export const OPEN_RECORD_ON = ['never', 'ring', 'answer'] as const;
export type OpenRecordOn = (typeof OPEN_RECORD_ON)[number];

export const userPreferences = pgTable(
	'user_preferences',
	{
		userId: text('user_id')
			.primaryKey()
			.references(() => user.id, { onDelete: 'cascade' }),
		openRecordOn: text('open_record_on', { enum: OPEN_RECORD_ON }).notNull().default('never'),
		updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 })
			.notNull()
			.defaultNow()
			.$onUpdate(() => new Date())
	},
	(t) => [check('user_preferences_open_record_on_check', sql`${t.openRecordOn} in ('never', 'ring', 'answer')`)]
);
