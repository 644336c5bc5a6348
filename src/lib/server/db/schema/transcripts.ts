/**
 * Transcript archive: one row per stored recording (a two-channel call recording or a voicemail,
 * both of which live on their `calls` row), written by the `transcribe-recording` job.
 *
 * Shape decisions (search, the transcript view and quality grading read this table):
 * - One row per recording, keyed by (call, recording sid), created `queued` in the transaction
 *   that marks the recording stored, so every stored recording has exactly one transcript row.
 * - `text` and every segment's `text` are MASKED before they are written (transcripts/mask.ts:
 *   card-number-like and US-SSN-like digit runs, spoken digits included, become `#`s). Nothing
 *   unmasked is ever stored, so nothing unmasked can be indexed.
 * - The lines are a jsonb array in `segments`, ordered by start time, each with its speaker
 *   (`agent` / `customer` from the recording's channel; `unknown` for a mono call recording),
 *   start and end in seconds from the start of the recording, and text. A separate lines table
 *   would make a 1M-transcript search index ~40x larger; search instead ranks whole transcripts
 *   on a tsvector of `text` (GIN) and then finds the matching lines with their timestamps in the
 *   `segments` of the few rows it shows (`jsonb_array_elements(segments)` per result row).
 * - The filters search needs (customer, agent, queue, direction, kind, when the call happened)
 *   are copied from the call when the row is created, so a search never joins `calls`; the
 *   customer and agent are kept in step by the job (they are final by the time a recording is).
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, real, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { user } from './auth';
import { CALL_DIRECTIONS, calls } from './calls';
import { customers } from './crm';
import { tsvector } from './tsvector';

export const TRANSCRIPT_STATUSES = ['queued', 'transcribing', 'done', 'failed'] as const;
export type TranscriptStatus = (typeof TRANSCRIPT_STATUSES)[number];

/** What was recorded: an answered call (two channels, agent and customer) or a voicemail (the caller alone). */
export const TRANSCRIPT_KINDS = ['call', 'voicemail'] as const;
export type TranscriptKind = (typeof TRANSCRIPT_KINDS)[number];

export const TRANSCRIPT_SPEAKERS = ['agent', 'customer', 'unknown'] as const;
export type TranscriptSpeaker = (typeof TRANSCRIPT_SPEAKERS)[number];

/** One line of a transcript. Times are seconds from the start of the recording (seek the player there). */
export interface TranscriptLine {
	speaker: TranscriptSpeaker;
	start: number;
	end: number;
	/** Masked text. */
	text: string;
}

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));
const ts = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

export const callTranscripts = pgTable(
	'call_transcripts',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callId: uuid('call_id')
			.notNull()
			.references(() => calls.id, { onDelete: 'cascade' }),
		/** The carrier's recording this transcribes (calls.recording_sid when it was stored). */
		recordingSid: text('recording_sid').notNull(),
		kind: text('kind', { enum: TRANSCRIPT_KINDS }).notNull(),
		/** Copied from the call for search filters (see above). */
		customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
		agentId: text('agent_id').references(() => user.id, { onDelete: 'set null' }),
		queue: text('queue'),
		direction: text('direction', { enum: CALL_DIRECTIONS }).notNull(),
		/** When the call came in (calls.received_at): what date-range filters and ordering use. */
		occurredAt: ts('occurred_at').notNull(),
		status: text('status', { enum: TRANSCRIPT_STATUSES }).notNull().default('queued'),
		/** The last failed attempt's reason, kept while retries run and once the job gives up. */
		failureReason: text('failure_reason'),
		/** Attempts made so far (all jobs for this recording, manual retries included). */
		attempts: integer('attempts').notNull().default(0),
		/** The pg-boss job currently responsible (a manager's retry queues a new one). */
		jobId: text('job_id'),
		/** ISO-639-1 language of the transcript (`en`). */
		language: text('language'),
		/** The speech adapter and recogniser, e.g. `openai` / `whisper-1`, `local` / `vosk-...`. */
		engine: text('engine'),
		model: text('model'),
		/** Length of the transcribed audio, seconds. */
		durationSeconds: real('duration_seconds'),
		/** Masked full text, the lines joined in order (what search indexes). */
		text: text('text').notNull().default(''),
		segments: jsonb('segments').$type<TranscriptLine[]>().notNull().default([]),
		/** `text`'s search terms (search/), kept by the database; GIN-indexed. STORAGE MAIN (migration 0026_search_walk): kept in the row, not in TOAST. */
		search: tsvector('search')
			.notNull()
			.generatedAlwaysAs(sql`to_tsvector('english'::regconfig, text)`),
		createdAt: ts('created_at').notNull().defaultNow(),
		completedAt: ts('completed_at'),
		updatedAt: ts('updated_at')
			.notNull()
			.defaultNow()
			.$onUpdate(() => new Date())
	},
	(t) => [
		unique('call_transcripts_call_recording_key').on(t.callId, t.recordingSid),
		check('call_transcripts_status_check', sql`${t.status} in (${inList(TRANSCRIPT_STATUSES)})`),
		check('call_transcripts_kind_check', sql`${t.kind} in (${inList(TRANSCRIPT_KINDS)})`),
		check('call_transcripts_direction_check', sql`${t.direction} in (${inList(CALL_DIRECTIONS)})`),
		index('call_transcripts_customer_idx').on(t.customerId, t.occurredAt.desc().nullsFirst()),
		index('call_transcripts_agent_idx').on(t.agentId, t.occurredAt.desc().nullsFirst()),
		index('call_transcripts_occurred_idx').on(t.occurredAt.desc().nullsFirst()),
		/** Search's walk for a queue filter (search/search-archive.ts). */
		index('call_transcripts_queue_idx').on(t.queue, t.occurredAt.desc().nullsFirst()),
		index('call_transcripts_status_idx').on(t.status),
		index('call_transcripts_search_idx').using('gin', t.search)
	]
);

/**
 * Final lines of a call's live transcription (Twilio `<Start><Transcription>`, LIVE_TRANSCRIPTION),
 * masked as call_transcripts are, one row per line. Keyed by the carrier's transcription SID and
 * its SequenceId, so a replayed callback adds nothing; `call_sid` is the leg that ran the
 * `<Start>` (the caller's on inbound calls, the agent's on outbound ones), as `calls.call_sid`.
 * Read in SequenceId order, they seed or check the post-call transcript
 * (transcripts/live-lines.ts); the partial words before a line is final live only in hot state.
 */
export const liveTranscriptLines = pgTable(
	'live_transcript_lines',
	{
		id: uuid('id').primaryKey().defaultRandom(),
		callSid: text('call_sid').notNull(),
		transcriptionSid: text('transcription_sid').notNull(),
		sequenceId: integer('sequence_id').notNull(),
		speaker: text('speaker', { enum: TRANSCRIPT_SPEAKERS }).notNull(),
		/** Masked text. */
		text: text('text').notNull(),
		confidence: real('confidence'),
		/** When the carrier says the line was recognised (its Timestamp), else when it arrived. */
		spokenAt: ts('spoken_at').notNull()
	},
	(t) => [
		unique('live_transcript_lines_sequence_key').on(t.transcriptionSid, t.sequenceId),
		index('live_transcript_lines_call_idx').on(t.callSid, t.sequenceId)
	]
);
