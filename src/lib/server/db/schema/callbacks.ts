/**
 * Callback tasks: a caller who hung up in a queue, or left a voicemail, is owed a call back. Each
 * such call opens one task assigned to its queue; an agent with the queue's skills claims it (one
 * winner: the claim is a conditional update) and closes it with an outcome.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { activities, customers } from './crm';
import { calls } from './calls';

export const CALLBACK_REASONS = ['abandoned', 'voicemail'] as const;
export type CallbackReason = (typeof CALLBACK_REASONS)[number];

export const CALLBACK_STATUSES = ['open', 'claimed', 'done'] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** How a callback ended, as the agent reports it. */
export const CALLBACK_OUTCOMES = ['reached', 'no-answer', 'left-message', 'wrong-number', 'not-needed'] as const;
export type CallbackOutcome = (typeof CALLBACK_OUTCOMES)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const callbackTasks = pgTable(
	'callback_tasks',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		/** The call that was not answered; one task per call. */
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' })
			.unique('callback_tasks_call_id_key'),
		/** The queue the task is assigned to: agents with its skills may take it. */
		queue: text('queue').notNull(),
		reason: text('reason', { enum: CALLBACK_REASONS }).notNull(),
		customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
		/** The number to call back, E.164. */
		callerNumber: text('caller_number').notNull(),
		waitSeconds: integer('wait_seconds'),
		status: text('status', { enum: CALLBACK_STATUSES }).notNull().default('open'),
		claimedBy: text('claimed_by').references(() => user.id, { onDelete: 'set null' }),
		claimedAt: ts('claimed_at'),
		completedBy: text('completed_by').references(() => user.id, { onDelete: 'set null' }),
		completedAt: ts('completed_at'),
		outcome: text('outcome', { enum: CALLBACK_OUTCOMES }),
		notes: text('notes').notNull().default(''),
		/** The task's entry on the customer's timeline. */
		activityId: uuid('activity_id').references(() => activities.id, { onDelete: 'set null' }),
		createdAt: ts('created_at').notNull().defaultNow(),
		updatedAt: ts('updated_at')
			.notNull()
			.defaultNow()
			.$onUpdate(() => new Date())
	},
	(t) => [
		check('callback_tasks_reason_check', sql`${t.reason} in (${inList(CALLBACK_REASONS)})`),
		check('callback_tasks_status_check', sql`${t.status} in (${inList(CALLBACK_STATUSES)})`),
		check('callback_tasks_outcome_check', sql`${t.outcome} is null or ${t.outcome} in (${inList(CALLBACK_OUTCOMES)})`),
		index('callback_tasks_queue_status_idx').on(t.queue, t.status, t.createdAt),
		index('callback_tasks_claimed_by_idx').on(t.claimedBy, t.status),
		index('callback_tasks_customer_idx').on(t.customerId)
	]
);
