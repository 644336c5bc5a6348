/**
 * The archive of transfers: who passed which call to whom, how and why it ended. One row per
 * transfer, keyed by the same id as its transfer_queue row in hot state; written when the
 * transfer starts and closed (outcome, ended_at) by the same move that closes the hot row.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { calls } from './calls';

export const TRANSFER_KINDS = ['cold', 'warm'] as const;
export const TRANSFER_TARGET_KINDS = ['agent', 'queue', 'number'] as const;
export const TRANSFER_OUTCOMES = ['completed', 'joined', 'cancelled', 'declined', 'timeout', 'target-left', 'queued', 'customer-hangup'] as const;

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const callTransfers = pgTable(
	'call_transfers',
	{
		id: uuid('id').primaryKey(),
		/** The archive call, when the transfer's call has one (found by either leg). */
		callId: uuid('call_id').references(() => calls.id, { onDelete: 'set null' }),
		/** The first agent's leg as the softphone and active_calls know it. */
		callSid: text('call_sid').notNull(),
		kind: text('kind', { enum: TRANSFER_KINDS }).notNull(),
		targetKind: text('target_kind', { enum: TRANSFER_TARGET_KINDS }).notNull(),
		fromAgentId: text('from_agent_id').references(() => user.id, { onDelete: 'set null' }),
		toAgentId: text('to_agent_id').references(() => user.id, { onDelete: 'set null' }),
		toQueue: text('to_queue'),
		toNumber: text('to_number'),
		note: text('note'),
		/** Null while the transfer is under way. */
		outcome: text('outcome', { enum: TRANSFER_OUTCOMES }),
		/** Why, in words: who pressed what, or which leg hung up. */
		reason: text('reason'),
		startedAt: ts('started_at').notNull(),
		answeredAt: ts('answered_at'),
		endedAt: ts('ended_at'),
		/**
		 * When the transfer took the first agent off the call (cold: at once; warm: on complete, or
		 * when they hung up mid-transfer): their wrap-up of their part begins then, kept here, while
		 * the call's own wrap-up (calls) is the agent who has the caller at the end.
		 */
		handedOffAt: ts('handed_off_at'),
		fromReadyAt: ts('from_ready_at'),
		fromWrappedUpAt: ts('from_wrapped_up_at'),
		fromDisposition: text('from_disposition'),
		fromNotes: text('from_notes'),
		fromWrapupSeconds: integer('from_wrapup_seconds'),
		/**
		 * A three-way call's target (outcome joined) was on the call at its end: their wrap-up of
		 * their part begins then (to_ended_at), kept here like the first agent's; the call's own
		 * wrap-up stays the first agent's, who owns the call.
		 */
		toEndedAt: ts('to_ended_at'),
		toReadyAt: ts('to_ready_at'),
		toWrappedUpAt: ts('to_wrapped_up_at'),
		toDisposition: text('to_disposition'),
		toNotes: text('to_notes'),
		toWrapupSeconds: integer('to_wrapup_seconds')
	},
	(t) => [
		index('call_transfers_call_idx').on(t.callSid),
		index('call_transfers_from_agent_idx').on(t.fromAgentId, t.startedAt),
		index('call_transfers_to_agent_idx').on(t.toAgentId, t.startedAt),
		check('call_transfers_kind_check', sql`${t.kind} in (${inList(TRANSFER_KINDS)})`),
		check('call_transfers_target_kind_check', sql`${t.targetKind} in (${inList(TRANSFER_TARGET_KINDS)})`),
		check('call_transfers_outcome_check', sql`${t.outcome} is null or ${t.outcome} in (${inList(TRANSFER_OUTCOMES)})`)
	]
);
