/**
 * The consent ledger (Do-Not-Call/Text) and the compliance gate's audit trail. The ledger is
 * append-only, one history per phone number (E.164) across both channels and every Switchboard
 * number: a number's current state is its latest entry for the channel (or for `all`). Every
 * outbound text or dial attempt leaves a row in outbound_attempts saying why it was allowed or
 * refused, written in the same transaction as the attempt itself.
 */
import { sql } from 'drizzle-orm';
import { bigserial, bigint, check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { E164_SQL_LITERAL } from '../../../phone-rules';
import { user } from './auth';

/** `all` covers calls and texts: a revocation by any reasonable means reaches both (FCC, 2025-04-11). */
export const CONSENT_CHANNELS = ['sms', 'voice', 'all'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
/** The channels an attempt goes out on. */
export const OUTBOUND_CHANNELS = ['sms', 'voice'] as const;
export type OutboundChannel = (typeof OUTBOUND_CHANNELS)[number];

export const CONSENT_ACTIONS = ['opt_out', 'opt_in'] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

/** keyword: the customer texted STOP/START; agent: staff by hand; carrier_error: Twilio 21610. */
export const CONSENT_SOURCES = ['keyword', 'agent', 'import', 'api', 'carrier_error'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

export const ATTEMPT_DECISIONS = ['allowed', 'refused'] as const;
export type AttemptDecision = (typeof ATTEMPT_DECISIONS)[number];

export const CONSENT_REASON_MAX = 500;

/** What asked for an outbound attempt; null on rows of in-thread SMS replies. */
export const ATTEMPT_SOURCES = ['manual', 'callback', 'campaign', 'reply'] as const;
export type AttemptSource = (typeof ATTEMPT_SOURCES)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const consentLedger = pgTable(
	'consent_ledger',
	{
		/** Monotonic: among entries with the same `occurred_at`, the later-recorded one wins. */
		id: bigserial('id', { mode: 'number' }).primaryKey(),
		phone: text('phone').notNull(),
		channel: text('channel', { enum: CONSENT_CHANNELS }).notNull(),
		action: text('action', { enum: CONSENT_ACTIONS }).notNull(),
		source: text('source', { enum: CONSENT_SOURCES }).notNull(),
		/** The keyword as texted (`STOP`), for keyword entries. */
		keyword: text('keyword'),
		/** The message behind the entry (inbound keyword text, or the send that failed with 21610). */
		messageSid: text('message_sid'),
		/** The staff member behind the entry (agent/manager by hand, importer). */
		userId: text('user_id').references(() => user.id, { onDelete: 'set null' }),
		reason: text('reason').notNull().default(''),
		occurredAt: at('occurred_at').notNull().defaultNow(),
		createdAt: at('created_at').notNull().defaultNow()
	},
	(t) => [
		check('consent_ledger_phone_check', sql`${t.phone} ~ ${sql.raw(E164_SQL_LITERAL)}`),
		check('consent_ledger_channel_check', sql`${t.channel} in (${inList(CONSENT_CHANNELS)})`),
		check('consent_ledger_action_check', sql`${t.action} in (${inList(CONSENT_ACTIONS)})`),
		check('consent_ledger_source_check', sql`${t.source} in (${inList(CONSENT_SOURCES)})`),
		// The current state of a number is the first row of this index for the number.
		index('consent_ledger_phone_latest_idx').on(t.phone, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
		index('consent_ledger_occurred_idx').on(t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
		// The audit trail's "who" filter.
		index('consent_ledger_user_idx').on(t.userId, t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst())
	]
);

export const outboundAttempts = pgTable(
	'outbound_attempts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		channel: text('channel', { enum: OUTBOUND_CHANNELS }).notNull(),
		toPhone: text('to_phone').notNull(),
		fromPhone: text('from_phone'),
		/** The staff member who asked; null for the system (jobs, automated replies). */
		actorId: text('actor_id').references(() => user.id, { onDelete: 'set null' }),
		decision: text('decision', { enum: ATTEMPT_DECISIONS }).notNull(),
		/** Stable code: CONSENT_OK, NO_ENTRY, DNC_BLOCKED. */
		code: text('code').notNull(),
		/** The sentence shown to the user and in the audit trail. */
		reason: text('reason').notNull(),
		/** The ledger entry the decision rested on, when there was one. */
		consentEntryId: bigint('consent_entry_id', { mode: 'number' }).references(() => consentLedger.id, { onDelete: 'set null' }),
		attemptedAt: at('attempted_at').notNull().defaultNow(),
		/** The rest is written by the outbound gate (outbound/gate.ts) for dials and first texts. */
		source: text('source', { enum: ATTEMPT_SOURCES }),
		/** The whole rule set the attempt was judged by, as it was then. */
		ruleSet: jsonb('rule_set'),
		/** The ledger as the gate read it: each channel's state and the entry it rests on. */
		ledgerState: jsonb('ledger_state'),
		/** The recipient's zone(s) and wall clock at the attempt, e.g. `2026-12-06T21:42-05:00`. */
		recipientTimeZone: text('recipient_time_zone'),
		recipientLocalTime: text('recipient_local_time'),
		/** For a refusal by calling window or gap: when the number may be tried again. */
		opensAt: at('opens_at'),
		campaignId: text('campaign_id'),
		leadId: text('lead_id'),
		/** The call the attempt placed, once the carrier has it. */
		callSid: text('call_sid')
	},
	(t) => [
		check('outbound_attempts_channel_check', sql`${t.channel} in (${inList(OUTBOUND_CHANNELS)})`),
		check('outbound_attempts_decision_check', sql`${t.decision} in (${inList(ATTEMPT_DECISIONS)})`),
		index('outbound_attempts_to_idx').on(t.toPhone, t.attemptedAt.desc().nullsFirst()),
		index('outbound_attempts_attempted_idx').on(t.attemptedAt.desc().nullsFirst(), t.id),
		index('outbound_attempts_actor_idx').on(t.actorId, t.attemptedAt.desc().nullsFirst()),
		check('outbound_attempts_source_check', sql`${t.source} in (${inList(ATTEMPT_SOURCES)})`)
	]
);
