/**
 * Staff data beyond sign-in: the skill catalog and each agent's skills with a level, which
 * call routing reads (mirrored into the hot state's agent_skills at start).
 */
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { user } from './auth';

export const skills = pgTable('skills', {
	/** Stable slug used in routing rules, e.g. `spanish`. */
	id: text('id').primaryKey(),
	name: text('name').notNull(),
	description: text('description').notNull().default(''),
	createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow()
});

export const agentSkills = pgTable(
	'agent_skills',
	{
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		skill: text('skill')
			.notNull()
			.references(() => skills.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
		/** 1 (can help) to 5 (expert); routing prefers higher levels. */
		level: integer('level').notNull().default(3),
		updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 })
			.notNull()
			.defaultNow()
			.$onUpdate(() => new Date())
	},
	(t) => [primaryKey({ columns: [t.userId, t.skill] }), check('agent_skills_level_check', sql`${t.level} between 1 and 5`)]
);
