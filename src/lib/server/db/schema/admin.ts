/**
 * Every administrative change (staff accounts, agents' skills, queues and numbers) with who
 * made it and the entity before and after, written in the same transaction as the change.
 */
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';

export const ADMIN_ENTITIES = ['user', 'agent_skills', 'skill', 'voice_queue'] as const;
export type AdminEntity = (typeof ADMIN_ENTITIES)[number];

export const adminAudit = pgTable(
	'admin_audit',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** The admin who made the change; kept as text when the account is later removed. */
		actorId: text('actor_id').references(() => user.id, { onDelete: 'set null' }),
		actorEmail: text('actor_email').notNull(),
		at: timestamp('at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		/** e.g. `user.create`, `user.ban`, `agent_skills.set`, `voice_queue.update`. */
		action: text('action').notNull(),
		entity: text('entity', { enum: ADMIN_ENTITIES }).notNull(),
		/** The entity's key: a user id, or a queue's number. */
		entityId: text('entity_id').notNull(),
		/** The entity before the change (null when created) and after it (null when removed). */
		before: jsonb('before').$type<unknown>(),
		after: jsonb('after').$type<unknown>()
	},
	(t) => [index('admin_audit_entity_at_idx').on(t.entity, t.entityId, t.at.desc().nullsFirst()), index('admin_audit_at_idx').on(t.at.desc().nullsFirst())]
);
