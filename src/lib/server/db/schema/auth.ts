/**
 * Sign-in tables as better-auth's drizzle adapter addresses them (generated from its schema for
 * email + password, the admin plugin and database rate limiting, then tightened: timestamps
 * carry a time zone, and `role` is never null and always one of the four staff roles).
 */
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true });

export const user = pgTable(
	'user',
	{
		id: text('id').primaryKey(),
		name: text('name').notNull(),
		email: text('email').notNull().unique(),
		emailVerified: boolean('email_verified').default(false).notNull(),
		image: text('image'),
		createdAt: at('created_at').defaultNow().notNull(),
		updatedAt: at('updated_at')
			.defaultNow()
			.$onUpdate(() => new Date())
			.notNull(),
		/** agent | manager | supervisor | admin (src/lib/roles.ts); read on every request. */
		role: text('role').notNull().default('agent'),
		banned: boolean('banned').default(false).notNull(),
		banReason: text('ban_reason'),
		banExpires: at('ban_expires')
	},
	(t) => [check('user_role_check', sql`${t.role} in ('agent', 'manager', 'supervisor', 'admin')`)]
);

export const session = pgTable(
	'session',
	{
		id: text('id').primaryKey(),
		expiresAt: at('expires_at').notNull(),
		token: text('token').notNull().unique(),
		createdAt: at('created_at').defaultNow().notNull(),
		updatedAt: at('updated_at')
			.defaultNow()
			.$onUpdate(() => new Date())
			.notNull(),
		ipAddress: text('ip_address'),
		userAgent: text('user_agent'),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		impersonatedBy: text('impersonated_by')
	},
	(t) => [index('session_user_id_idx').on(t.userId)]
);

export const account = pgTable(
	'account',
	{
		id: text('id').primaryKey(),
		accountId: text('account_id').notNull(),
		providerId: text('provider_id').notNull(),
		userId: text('user_id')
			.notNull()
			.references(() => user.id, { onDelete: 'cascade' }),
		accessToken: text('access_token'),
		refreshToken: text('refresh_token'),
		idToken: text('id_token'),
		accessTokenExpiresAt: at('access_token_expires_at'),
		refreshTokenExpiresAt: at('refresh_token_expires_at'),
		scope: text('scope'),
		/** better-auth's scrypt hash for the `credential` provider. */
		password: text('password'),
		createdAt: at('created_at').defaultNow().notNull(),
		updatedAt: at('updated_at')
			.defaultNow()
			.$onUpdate(() => new Date())
			.notNull()
	},
	(t) => [index('account_user_id_idx').on(t.userId)]
);

export const verification = pgTable(
	'verification',
	{
		id: text('id').primaryKey(),
		identifier: text('identifier').notNull(),
		value: text('value').notNull(),
		expiresAt: at('expires_at').notNull(),
		createdAt: at('created_at').defaultNow().notNull(),
		updatedAt: at('updated_at')
			.defaultNow()
			.$onUpdate(() => new Date())
			.notNull()
	},
	(t) => [index('verification_identifier_idx').on(t.identifier)]
);

/** better-auth's request counters per IP and path, plus the sign-in failure counters (login-throttle.ts). */
export const rateLimit = pgTable('rate_limit', {
	id: text('id').primaryKey(),
	key: text('key').notNull().unique(),
	count: integer('count').notNull(),
	/** Epoch milliseconds of the last counted request. */
	lastRequest: bigint('last_request', { mode: 'number' }).notNull()
});
