/**
 * CRM archive: customers and leads, their phone numbers (always E.164) and the activity
 * timeline that calls and texts will write to. Name lookups and phone-prefix search use plain
 * btree indexes with text_pattern_ops, so `LIKE 'prefix%'` is indexed on any collation and on
 * both drivers (no extension needed).
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';
import { E164_SQL_LITERAL } from '../../../phone-rules';
import { user } from './auth';

export const CUSTOMER_KINDS = ['customer', 'lead'] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

/** Where a lead is in the sales funnel; customers have no status. */
export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'unqualified', 'converted'] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];

/** How the record came to exist. `unknown-caller` leads are made when a number we do not know calls or texts. */
export const CUSTOMER_SOURCES = ['manual', 'unknown-caller', 'import', 'demo'] as const;
export type CustomerSource = (typeof CUSTOMER_SOURCES)[number];

export const PHONE_LABELS = ['mobile', 'work', 'home', 'other'] as const;
export type PhoneLabel = (typeof PHONE_LABELS)[number];

export const ACTIVITY_KINDS = ['call', 'sms', 'note', 'voicemail', 'system', 'callback'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Column limits, shared with input validation so the app rejects long values before the database does. */
export const CUSTOMER_LIMITS = {
	firstName: 100,
	lastName: 100,
	company: 200,
	email: 254,
	notes: 10_000,
	phoneExtension: 10
} as const;

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const customers = pgTable(
	'customers',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		kind: text('kind', { enum: CUSTOMER_KINDS }).notNull().default('customer'),
		firstName: varchar('first_name', { length: CUSTOMER_LIMITS.firstName }).notNull().default(''),
		lastName: varchar('last_name', { length: CUSTOMER_LIMITS.lastName }).notNull().default(''),
		company: varchar('company', { length: CUSTOMER_LIMITS.company }).notNull().default(''),
		email: varchar('email', { length: CUSTOMER_LIMITS.email }),
		notes: text('notes').notNull().default(''),
		/** Lead funnel status; null for customers. */
		status: text('status', { enum: LEAD_STATUSES }),
		source: text('source', { enum: CUSTOMER_SOURCES }).notNull().default('manual'),
		/** The staff member who owns the relationship (better-auth user id). */
		ownerId: text('owner_id').references(() => user.id, { onDelete: 'set null' }),
		createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 })
			.notNull()
			.defaultNow()
			.$onUpdate(() => new Date())
	},
	(t) => [
		check('customers_kind_check', sql`${t.kind} in (${inList(CUSTOMER_KINDS)})`),
		check('customers_status_check', sql`${t.status} is null or ${t.status} in (${inList(LEAD_STATUSES)})`),
		check('customers_source_check', sql`${t.source} in (${inList(CUSTOMER_SOURCES)})`),
		index('customers_last_name_prefix_idx').using('btree', sql`lower(${t.lastName}) text_pattern_ops`),
		index('customers_first_name_prefix_idx').using('btree', sql`lower(${t.firstName}) text_pattern_ops`),
		index('customers_company_prefix_idx').using('btree', sql`lower(${t.company}) text_pattern_ops`),
		index('customers_email_prefix_idx').using('btree', sql`lower(${t.email}) text_pattern_ops`),
		index('customers_updated_at_idx').on(t.updatedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
		index('customers_owner_id_idx').on(t.ownerId)
	]
);

export const customerPhones = pgTable(
	'customer_phones',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		customerId: uuid('customer_id')
			.notNull()
			.references(() => customers.id, { onDelete: 'cascade' }),
		/** The number in E.164 (`+14155550100`), as normalize-phone produces it. */
		e164: text('e164').notNull(),
		extension: varchar('extension', { length: CUSTOMER_LIMITS.phoneExtension }),
		label: text('label', { enum: PHONE_LABELS }).notNull().default('mobile'),
		isPrimary: boolean('is_primary').notNull().default(false),
		/** Order the numbers were entered in; the record shows them in this order. */
		position: integer('position').notNull().default(0),
		createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow()
	},
	(t) => [
		check('customer_phones_e164_check', sql`${t.e164} ~ ${sql.raw(E164_SQL_LITERAL)}`),
		check('customer_phones_label_check', sql`${t.label} in (${inList(PHONE_LABELS)})`),
		uniqueIndex('customer_phones_customer_e164_key').on(t.customerId, t.e164),
		// text_pattern_ops serves both the exact caller lookup (=) and prefix search (LIKE '+1415%').
		index('customer_phones_e164_idx').on(t.e164.op('text_pattern_ops')),
		uniqueIndex('customer_phones_one_primary_key')
			.on(t.customerId)
			.where(sql`${t.isPrimary}`)
	]
);

export const activities = pgTable(
	'activities',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		customerId: uuid('customer_id')
			.notNull()
			.references(() => customers.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: ACTIVITY_KINDS }).notNull(),
		occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
		/** The staff member who acted, when one did (null for system events and inbound texts). */
		actorId: text('actor_id').references(() => user.id, { onDelete: 'set null' }),
		summary: text('summary').notNull().default(''),
		/** Kind-specific detail (call sid, duration, message body...). */
		data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
		createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow()
	},
	(t) => [
		check('activities_kind_check', sql`${t.kind} in (${inList(ACTIVITY_KINDS)})`),
		index('activities_customer_occurred_idx').on(t.customerId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst())
	]
);
