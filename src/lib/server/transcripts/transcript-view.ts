/**
 * What the timeline and the callback task show of a call's transcript: its state while the job
 * runs (with attempts and the last reason), the failure, or the speaker-labelled lines. Read
 * for the recording the call names now; a call whose recording is not stored yet shows `none`.
 */
import { inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { callTranscripts, type TranscriptLine, type TranscriptStatus } from '../db/schema/transcripts';

export interface TranscriptView {
	status: TranscriptStatus | 'none';
	/** Attempts so far, and the last failed attempt's reason (kept while retries run). */
	attempts: number;
	reason: string | null;
	language: string | null;
	engine: string | null;
	model: string | null;
	/** Masked, speaker-labelled lines in order; empty until done. */
	lines: TranscriptLine[];
}

export const NO_TRANSCRIPT: TranscriptView = { status: 'none', attempts: 0, reason: null, language: null, engine: null, model: null, lines: [] };

/** For each call (by id, with the recording it names now), its transcript view. */
export async function loadTranscriptViews(db: Db | Tx, callRecordings: readonly { callId: string; recordingSid: string | null }[]): Promise<Map<string, TranscriptView>> {
	const out = new Map<string, TranscriptView>();
	const ids = [...new Set(callRecordings.filter((c) => c.recordingSid).map((c) => c.callId))];
	if (ids.length === 0) return out;
	const wanted = new Map(callRecordings.map((c) => [c.callId, c.recordingSid]));
	const rows = await db.select().from(callTranscripts).where(inArray(callTranscripts.callId, ids));
	for (const row of rows) {
		if (wanted.get(row.callId) !== row.recordingSid) continue;
		out.set(row.callId, {
			status: row.status,
			attempts: row.attempts,
			reason: row.failureReason,
			language: row.language,
			engine: row.engine,
			model: row.model,
			lines: row.status === 'done' ? row.segments : []
		});
	}
	return out;
}
