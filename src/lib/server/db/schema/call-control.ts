/**
 * Call control's archive: each call's story as segments (talk with an agent, hold, consult,
 * conference, a supervisor monitoring), written by call-control/record-segment.ts, which the
 * transfer machine uses too. Handle and hold time per agent are read from here and from calls.
 */
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { calls } from './calls';

export const SEGMENT_KINDS = ['talk', 'hold', 'consult', 'conference', 'monitor'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const callSegments = pgTable(
	'call_segments',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		kind: text('kind', { enum: SEGMENT_KINDS }).notNull(),
		/** The agent (or supervisor, for monitor) the segment is about; null once the user is deleted. */
		agentId: text('agent_id').references(() => user.id, { onDelete: 'set null' }),
		startedAt: ts('started_at').notNull(),
		/** Null while the segment is still going. */
		endedAt: ts('ended_at'),
		/** e.g. `{ mode: 'whisper' }` for monitor, `{ number }` for an outside party. */
		detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
		createdAt: ts('created_at').notNull().defaultNow()
	},
	(t) => [
		index('call_segments_call_idx').on(t.callId, t.startedAt),
		index('call_segments_agent_idx').on(t.agentId, t.startedAt),
		check('call_segments_order', sql`${t.endedAt} IS NULL OR ${t.endedAt} >= ${t.startedAt}`)
	]
);
