/**
 * Reporting: the one call event log every metric is computed from, and the per-interval
 * aggregates kept from it as calls happen (rebuildable from the log at any time). The event
 * types and what each one counts are declared in reporting/call-event-types.ts.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { calls } from './calls';

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** Every type the log takes; outbound (#12) and call control (#13) add theirs through the same function. */
export const CALL_LOG_TYPES = [
	'offered',
	'queued',
	'ringing',
	'answered',
	'abandoned',
	'short_abandon',
	'voicemail',
	'transferred',
	'held',
	'resumed',
	'ended',
	'wrapup_started',
	'wrapup_ended',
	'callback_requested',
	'callback_completed',
	'placed'
] as const;
export type CallLogType = (typeof CALL_LOG_TYPES)[number];

/** inbound: a caller dialled a queue; outbound: an agent dialled out; campaign: a dialler placed it. */
export const CALL_LOG_DIRECTIONS = ['inbound', 'outbound', 'campaign'] as const;
export type CallLogDirection = (typeof CALL_LOG_DIRECTIONS)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

export const callLog = pgTable(
	'call_log',
	{
		/** Commit-independent order of arrival; the wallboard watches it for change. */
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		type: text('type', { enum: CALL_LOG_TYPES }).notNull(),
		direction: text('direction', { enum: CALL_LOG_DIRECTIONS }).notNull(),
		/** When it happened (the carrier's time when given). */
		at: ts('at').notNull(),
		/** When the call was offered (or placed): every per-call count lands in this moment's interval. */
		callStartedAt: ts('call_started_at').notNull(),
		queue: text('queue').notNull().default(''),
		agentId: text('agent_id').notNull().default(''),
		/** The duration this event carries: wait (answered, abandoned), talk (ended), hold (resumed), wrap-up (wrapup_ended). */
		seconds: integer('seconds'),
		/** Tells apart events of one type that may happen more than once on a call (each ring, each hold); '' when once. */
		key: text('key').notNull().default(''),
		payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
		createdAt: ts('created_at').notNull().defaultNow()
	},
	(t) => [
		check('call_log_type_check', sql`${t.type} in (${inList(CALL_LOG_TYPES)})`),
		check('call_log_direction_check', sql`${t.direction} in (${inList(CALL_LOG_DIRECTIONS)})`),
		// A replayed webhook records nothing twice.
		uniqueIndex('call_log_once_idx').on(t.callId, t.type, t.key),
		index('call_log_at_idx').on(t.at),
		index('call_log_started_idx').on(t.callStartedAt)
	]
);

/**
 * Per 15-minute interval (UTC-aligned, so any zone's hours, days and weeks are unions of them),
 * queue and agent: the sums every metric divides. Queue-level counts (offered, abandons) sit on
 * agent ''; what an agent did sits on their row, so a queue's totals are the sum of its rows.
 */
export const reportIntervals = pgTable(
	'report_intervals',
	{
		bucket: ts('bucket').notNull(),
		queue: text('queue').notNull(),
		agentId: text('agent_id').notNull(),
		direction: text('direction', { enum: CALL_LOG_DIRECTIONS }).notNull(),
		offered: integer('offered').notNull().default(0),
		answered: integer('answered').notNull().default(0),
		answeredInTarget: integer('answered_in_target').notNull().default(0),
		abandoned: integer('abandoned').notNull().default(0),
		shortAbandons: integer('short_abandons').notNull().default(0),
		callbacks: integer('callbacks').notNull().default(0),
		transfers: integer('transfers').notNull().default(0),
		handled: integer('handled').notNull().default(0),
		waitAnsweredSeconds: bigint('wait_answered_seconds', { mode: 'number' }).notNull().default(0),
		talkSeconds: bigint('talk_seconds', { mode: 'number' }).notNull().default(0),
		holdSeconds: bigint('hold_seconds', { mode: 'number' }).notNull().default(0),
		wrapupSeconds: bigint('wrapup_seconds', { mode: 'number' }).notNull().default(0),
		wrapups: integer('wrapups').notNull().default(0),
		placed: integer('placed').notNull().default(0)
	},
	(t) => [primaryKey({ name: 'report_intervals_pk', columns: [t.bucket, t.queue, t.agentId, t.direction] }), index('report_intervals_agent_idx').on(t.agentId, t.bucket)]
);
