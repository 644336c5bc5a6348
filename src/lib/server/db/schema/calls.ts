/**
 * Voice archive: every call Switchboard handled with its outcome, durations and agent, the
 * events that led there, and the routing table from a Switchboard number to its queue.
 * Status callbacks may arrive in any order, so a call row keeps a status rank and per-event
 * timestamps that only ever fill in (see calls/apply-call-status.ts).
 */
import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { customers } from './crm';

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export type CallDirectionArchive = (typeof CALL_DIRECTIONS)[number];

/** How a call ended up; every inbound call gets exactly one once it is over. */
export const CALL_OUTCOMES = ['answered', 'voicemail', 'abandoned', 'rejected'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** Where a call's recording is on its way into Storage. */
export const RECORDING_STATES = ['fetching', 'stored', 'failed'] as const;
export type RecordingState = (typeof RECORDING_STATES)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const calls = pgTable(
	'calls',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** The customer's leg (`CA` + 32 hex). */
		callSid: text('call_sid').notNull().unique('calls_call_sid_key'),
		direction: text('direction', { enum: CALL_DIRECTIONS }).notNull(),
		/** `From`/`To` exactly as the carrier sent them (may be `anonymous`, `client:...`, a SIP URI). */
		fromRaw: text('from_raw').notNull().default(''),
		toRaw: text('to_raw').notNull().default(''),
		/** Normalized numbers, when the raw values are phone numbers. */
		fromE164: text('from_e164'),
		toE164: text('to_e164'),
		customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
		/** The queue the dialled number routes to; null for numbers Switchboard does not own. */
		queue: text('queue'),
		/** The customer leg's latest carrier status (queued ... completed); see statusRank. */
		status: text('status').notNull().default('queued'),
		/** 0 queued/initiated, 1 ringing, 2 in-progress, 3 final: a status only replaces a lower rank. */
		statusRank: integer('status_rank').notNull().default(0),
		outcome: text('outcome', { enum: CALL_OUTCOMES }),
		/** The agent who answered (or, before that, the agent last offered the call). */
		agentId: text('agent_id').references(() => user.id, { onDelete: 'set null' }),
		/** The agent leg that answered. */
		agentCallSid: text('agent_call_sid'),
		receivedAt: ts('received_at').notNull().defaultNow(),
		ringingAt: ts('ringing_at'),
		queuedAt: ts('queued_at'),
		/** When an agent answered (the agent leg went in-progress). */
		answeredAt: ts('answered_at'),
		endedAt: ts('ended_at'),
		/** Set once when the voicemail prompt is given; makes the outcome `voicemail` unless an agent answered. */
		voicemailAt: ts('voicemail_at'),
		/** Set when a rule refused the call (number not ours, blocked caller). */
		rejectedAt: ts('rejected_at'),
		rejectReason: text('reject_reason'),
		waitSeconds: integer('wait_seconds'),
		talkSeconds: integer('talk_seconds'),
		wrapupSeconds: integer('wrapup_seconds'),
		disposition: text('disposition'),
		notes: text('notes').notNull().default(''),
		/** When the agent saved the wrap-up form (set once). */
		wrappedUpAt: ts('wrapped_up_at'),
		/**
		 * When the agent was available again after this answered call (set once): they pressed Ready
		 * now, saved the form, or the queue's wrap-up time ran out. wrapupSeconds runs from endedAt to here.
		 */
		readyAt: ts('ready_at'),
		/** The call's recording (two-channel call or voicemail); the audio moves to Storage in a job. */
		recordingSid: text('recording_sid'),
		/** `fetching` while the job runs, then `stored` or `failed`; null when nothing was recorded. */
		recordingStatus: text('recording_status', { enum: RECORDING_STATES }),
		/** The pg-boss job that fetches the recording (its state is queryable while `fetching`). */
		recordingJobId: text('recording_job_id'),
		/** Attempts the fetch job has made so far, and the last attempt's error (shown on the timeline while pg-boss retries). */
		recordingAttempts: integer('recording_attempts').notNull().default(0),
		recordingError: text('recording_error'),
		/** Storage key, e.g. `recordings/CA.../RE....wav`. */
		recordingKey: text('recording_key'),
		recordingSeconds: integer('recording_seconds'),
		recordingChannels: integer('recording_channels'),
		/** The customer-timeline activity written for this call (exactly one, see calls/record-call-activity.ts). */
		activityId: uuid('activity_id'),
		updatedAt: ts('updated_at')
			.notNull()
			.defaultNow()
			.$onUpdate(() => new Date())
	},
	(t) => [
		check('calls_direction_check', sql`${t.direction} in (${inList(CALL_DIRECTIONS)})`),
		check('calls_outcome_check', sql`${t.outcome} is null or ${t.outcome} in (${inList(CALL_OUTCOMES)})`),
		check('calls_recording_status_check', sql`${t.recordingStatus} is null or ${t.recordingStatus} in (${inList(RECORDING_STATES)})`),
		index('calls_customer_received_idx').on(t.customerId, t.receivedAt.desc().nullsFirst()),
		index('calls_agent_received_idx').on(t.agentId, t.receivedAt.desc().nullsFirst()),
		index('calls_received_at_idx').on(t.receivedAt.desc().nullsFirst())
	]
);

export const callEvents = pgTable(
	'call_events',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		/** e.g. `received`, `status.ringing`, `agent.in-progress`, `offered`, `queued`, `missed`, `voicemail`, `rejected`. */
		kind: text('kind').notNull(),
		/** The carrier's SequenceNumber for status callbacks. */
		sequenceNumber: integer('sequence_number'),
		/** When it happened (the carrier's Timestamp when given), not when it arrived. */
		at: ts('at').notNull().defaultNow(),
		payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
		createdAt: ts('created_at').notNull().defaultNow()
	},
	(t) => [index('call_events_call_at_idx').on(t.callId, t.at)]
);

/** Opening hours per weekday (0 = Sunday) as `HH:MM`-`HH:MM` ranges in `timezone`; null = always open. */
export interface OpeningHours {
	timezone: string;
	days: Partial<Record<'0' | '1' | '2' | '3' | '4' | '5' | '6', [string, string][]>>;
}

/** A Switchboard number and the queue its calls go to. */
export const voiceQueues = pgTable('voice_queues', {
	/** The dialled number in E.164. */
	number: text('number').primaryKey(),
	/** Queue name (at most 64 characters, Twilio's limit for `<Enqueue>`). */
	name: text('name').notNull(),
	/** Skills an agent needs to be offered these calls (ids from `skills`). */
	requiredSkills: text('required_skills').array().notNull().default(sql`'{}'::text[]`),
	/** After this many seconds in queue the caller reaches voicemail. */
	maxWaitSeconds: integer('max_wait_seconds').notNull().default(300),
	/** Seconds the agent's softphone rings before the call moves on. */
	ringSeconds: integer('ring_seconds').notNull().default(20),
	/** Seconds an agent stays in wrap-up after a call before routing offers them calls again (the form still saves later). */
	wrapupSeconds: integer('wrapup_seconds').notNull().default(60),
	/** Service level: a call answered within this many seconds counts as answered in target (T). */
	slTargetSeconds: integer('sl_target_seconds').notNull().default(20),
	/** The share of calls (percent) the queue aims to answer within T; under it the wallboard turns red and alerts. */
	slTargetPercent: integer('sl_target_percent').notNull().default(80),
	/** Callers who hang up sooner than this (S) are short abandons: in neither service level nor abandonment. */
	shortAbandonSeconds: integer('short_abandon_seconds').notNull().default(5),
	/** A caller waiting longer than this raises an alert on supervisors' screens. */
	waitAlertSeconds: integer('wait_alert_seconds').notNull().default(120),
	openingHours: jsonb('opening_hours').$type<OpeningHours>(),
	/** Said to every caller before an agent or the queue (recording consent). */
	consentNotice: text('consent_notice').notNull().default('This call may be recorded for quality and training.'),
	/** Off: callers who wait too long or call when closed are told so and the call ends. */
	voicemailEnabled: boolean('voicemail_enabled').notNull().default(true),
	voicemailGreeting: text('voicemail_greeting')
		.notNull()
		.default('Sorry, nobody can take your call right now. Please leave a message after the tone.'),
	createdAt: ts('created_at').notNull().defaultNow()
});
