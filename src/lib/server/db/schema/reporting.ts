/**
 * Reporting: the one call event log every metric is computed from, and the per-interval
 * aggregates kept from it as calls happen (rebuildable from the log at any time). The event
 * types and what each one counts are declared in reporting/call-event-types.ts.
 */
import { sql } from 'drizzle-orm';
import { bigint, check, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
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
	'placed',
	/** A caller reached a queue while it was closed: not offered to agents, counted apart. */
	'offered_closed',
	/** A caller of a closed queue hung up without leaving a message. */
	'closed_hangup',
	/** An outbound or campaign call the far end answered. */
	'connected',
	/** An outbound or campaign call that did not connect (no answer, busy, failed, cancelled: payload.reason). */
	'not_connected',
	/** A third party joined the call (call control); counts nothing by itself. */
	'conferenced'
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
		placed: integer('placed').notNull().default(0),
		offeredClosed: integer('offered_closed').notNull().default(0),
		connected: integer('connected').notNull().default(0),
		outboundTalkSeconds: bigint('outbound_talk_seconds', { mode: 'number' }).notNull().default(0)
	},
	(t) => [primaryKey({ name: 'report_intervals_pk', columns: [t.bucket, t.queue, t.agentId, t.direction] }), index('report_intervals_agent_idx').on(t.agentId, t.bucket)]
);

/** Agent presence as the hot state had it: one row per change (and a checkpoint per interval while a state lasts). */
export const agentStateLog = pgTable(
	'agent_state_log',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		agentId: text('agent_id').notNull(),
		/** The hot state's status: available, ringing, busy, wrapup, away, offline. */
		state: text('state').notNull(),
		/** When the state began (the hot state's `since`), or the interval boundary of a checkpoint. */
		at: ts('at').notNull()
	},
	(t) => [uniqueIndex('agent_state_log_once_idx').on(t.agentId, t.at)]
);

/** Per 15-minute interval and agent: seconds signed in and not away, and of those, handling (on a call or in wrap-up). */
export const agentStateIntervals = pgTable(
	'agent_state_intervals',
	{
		bucket: ts('bucket').notNull(),
		agentId: text('agent_id').notNull(),
		staffedSeconds: bigint('staffed_seconds', { mode: 'number' }).notNull().default(0),
		handlingSeconds: bigint('handling_seconds', { mode: 'number' }).notNull().default(0)
	},
	(t) => [primaryKey({ name: 'agent_state_intervals_pk', columns: [t.bucket, t.agentId] })]
);

/**
 * Whole days in a zone summed from report_intervals, so a year by day or week reads ~400 rows per
 * queue and agent instead of 35,000. A day is used only while its mark stands; any interval
 * change on that day deletes the mark (record-call-event.ts), and the next report rolls it again.
 */
export const reportDays = pgTable(
	'report_days',
	{
		zone: text('zone').notNull(),
		day: date('day', { mode: 'string' }).notNull(),
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
		placed: integer('placed').notNull().default(0),
		offeredClosed: integer('offered_closed').notNull().default(0),
		connected: integer('connected').notNull().default(0),
		outboundTalkSeconds: bigint('outbound_talk_seconds', { mode: 'number' }).notNull().default(0),
		/** From agent_state_intervals, on the agent's row with queue '' (agent time belongs to no queue). */
		staffedSeconds: bigint('staffed_seconds', { mode: 'number' }).notNull().default(0),
		handlingSeconds: bigint('handling_seconds', { mode: 'number' }).notNull().default(0)
	},
	(t) => [primaryKey({ name: 'report_days_pk', columns: [t.zone, t.day, t.queue, t.agentId, t.direction] })]
);

/** Days of report_days that are complete and current, per zone. */
export const reportDayMarks = pgTable(
	'report_day_marks',
	{
		zone: text('zone').notNull(),
		day: date('day', { mode: 'string' }).notNull(),
		rolledAt: ts('rolled_at').notNull().defaultNow()
	},
	(t) => [primaryKey({ name: 'report_day_marks_pk', columns: [t.day, t.zone] })]
);
