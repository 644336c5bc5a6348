/**
 * Next-call campaigns in the archive: a campaign (who calls, from which number, when, how often),
 * its leads (one per number, linked to the CRM customer with that number) and every attempt on
 * a lead, allowed or refused, with the gate's reason and the wrap-up disposition that decided
 * what happens to the lead next. Hot state's call_queue holds a small window of each running
 * campaign's ready leads, hydrated from here.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { E164_SQL_LITERAL } from '../../../phone-rules';
import { user } from './auth';
import { customers } from './crm';

export const CAMPAIGN_STATUSES = ['running', 'paused'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/**
 * pending: waiting for its turn or its re-call time (hot state's call_queue holds the first due
 * ones); dialling: the gate allowed a call and it is under way or in wrap-up; done: a disposition
 * ended it or it ran out of attempts; dnc: its number is on the Do-Not-Call ledger.
 */
export const LEAD_STATES = ['pending', 'dialling', 'done', 'dnc'] as const;
export type LeadState = (typeof LEAD_STATES)[number];

/** dialled: the gate allowed it and the call was placed; refused: the gate said no (reason kept); skipped: the agent passed. */
export const ATTEMPT_RESULTS = ['dialled', 'refused', 'skipped'] as const;
export type AttemptResult = (typeof ATTEMPT_RESULTS)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const campaigns = pgTable(
	'campaigns',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		name: text('name').notNull(),
		/** The number the customer sees (one of ours, E.164). */
		callerId: text('caller_id').notNull(),
		/** Agents need this skill to join; null: any agent. */
		skill: text('skill'),
		/** Calling hours in the recipient's local time, minutes after midnight: [start, end). */
		hoursStart: integer('hours_start')
			.notNull()
			.default(9 * 60),
		hoursEnd: integer('hours_end')
			.notNull()
			.default(20 * 60),
		maxAttempts: integer('max_attempts').notNull().default(3),
		/** Minutes between two attempts on the same lead. */
		recallGapMinutes: integer('recall_gap_minutes').notNull().default(60),
		/** Dispositions that end a lead (done); others retry after the gap until maxAttempts. */
		endDispositions: text('end_dispositions')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		/** Dispositions that put the number on the Do-Not-Call ledger and end the lead. */
		dncDispositions: text('dnc_dispositions')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		status: text('status', { enum: CAMPAIGN_STATUSES }).notNull().default('running'),
		createdBy: text('created_by').references(() => user.id, {
			onDelete: 'set null'
		}),
		createdAt: at('created_at').notNull().defaultNow()
	},
	(t) => [
		check('campaigns_status_check', sql`${t.status} in (${inList(CAMPAIGN_STATUSES)})`),
		check('campaigns_caller_id_check', sql`${t.callerId} ~ ${sql.raw(E164_SQL_LITERAL)}`),
		check('campaigns_hours_check', sql`${t.hoursStart} >= 0 and ${t.hoursEnd} <= 1440 and ${t.hoursStart} < ${t.hoursEnd}`),
		check('campaigns_attempts_check', sql`${t.maxAttempts} between 1 and 20`),
		check('campaigns_gap_check', sql`${t.recallGapMinutes} between 0 and 43200`),
		uniqueIndex('campaigns_name_key').on(sql`lower(${t.name})`)
	]
);

export const campaignLeads = pgTable(
	'campaign_leads',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		campaignId: uuid('campaign_id')
			.notNull()
			.references(() => campaigns.id, { onDelete: 'cascade' }),
		customerId: uuid('customer_id')
			.notNull()
			.references(() => customers.id, { onDelete: 'cascade' }),
		phone: text('phone').notNull(),
		/** The IANA zones the recipient may be in, from the number (lib/campaigns/recipient-zones.ts). */
		timeZones: text('time_zones').array().notNull(),
		/** The CSV line it came from; leads are dialled in this order. */
		position: integer('position').notNull(),
		state: text('state', { enum: LEAD_STATES }).notNull().default('pending'),
		attempts: integer('attempts').notNull().default(0),
		lastAttemptAt: at('last_attempt_at'),
		/** Not called again before this (the re-call gap); null: at once. */
		nextAttemptAt: at('next_attempt_at'),
		lastDisposition: text('last_disposition'),
		createdAt: at('created_at').notNull().defaultNow()
	},
	(t) => [
		check('campaign_leads_state_check', sql`${t.state} in (${inList(LEAD_STATES)})`),
		check('campaign_leads_phone_check', sql`${t.phone} ~ ${sql.raw(E164_SQL_LITERAL)}`),
		uniqueIndex('campaign_leads_campaign_phone_key').on(t.campaignId, t.phone),
		// Hydration: a campaign's pending leads in dialling order.
		index('campaign_leads_next_idx').on(t.campaignId, t.state, t.position),
		index('campaign_leads_customer_idx').on(t.customerId)
	]
);

export const campaignAttempts = pgTable(
	'campaign_attempts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		campaignId: uuid('campaign_id')
			.notNull()
			.references(() => campaigns.id, { onDelete: 'cascade' }),
		leadId: uuid('lead_id')
			.notNull()
			.references(() => campaignLeads.id, { onDelete: 'cascade' }),
		agentId: text('agent_id').references(() => user.id, {
			onDelete: 'set null'
		}),
		phone: text('phone').notNull(),
		result: text('result', { enum: ATTEMPT_RESULTS }).notNull(),
		/** Stable code of the gate's answer (CONSENT_OK, DNC_BLOCKED, OUTSIDE_WINDOW, RECALL_GAP...). */
		code: text('code').notNull(),
		reason: text('reason').notNull(),
		/** The recipient's local time when it was tried, as the gate saw it (e.g. "05:00 Pacific/Guam"). */
		recipientLocalTime: text('recipient_local_time'),
		/** The compliance gate's audit row (outbound_attempts), when the gate ran. */
		outboundAttemptId: uuid('outbound_attempt_id'),
		callSid: text('call_sid'),
		disposition: text('disposition'),
		at: at('at').notNull().defaultNow()
	},
	(t) => [
		check('campaign_attempts_result_check', sql`${t.result} in (${inList(ATTEMPT_RESULTS)})`),
		index('campaign_attempts_lead_idx').on(t.leadId, t.at.desc().nullsFirst()),
		index('campaign_attempts_campaign_idx').on(t.campaignId, t.at.desc().nullsFirst())
	]
);

export type Campaign = typeof campaigns.$inferSelect;
export type CampaignLead = typeof campaignLeads.$inferSelect;
