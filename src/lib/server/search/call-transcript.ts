/**
 * A call's transcript as the transcript view shows it: the newest transcript of the call's
 * recording with its speaker-labelled lines, or its state while it is not done. Only staff who
 * may hear the call read it (calls/call-access.ts, `call-listener`).
 */
import { desc, eq } from 'drizzle-orm';
import { assertMayHearCall, type CallViewer } from '../calls/call-access';
import type { Db } from '../db/client';
import { callTranscripts, type TranscriptLine, type TranscriptStatus } from '../db/schema/transcripts';

export interface CallTranscriptView {
	status: TranscriptStatus | 'none';
	lines: TranscriptLine[];
	language: string | null;
	engine: string | null;
	model: string | null;
}

export async function readCallTranscript(db: Db, viewer: CallViewer, callId: string): Promise<CallTranscriptView> {
	await assertMayHearCall(db, viewer, callId);
	const [row] = await db
		.select({
			status: callTranscripts.status,
			segments: callTranscripts.segments,
			language: callTranscripts.language,
			engine: callTranscripts.engine,
			model: callTranscripts.model
		})
		.from(callTranscripts)
		.where(eq(callTranscripts.callId, callId))
		.orderBy(desc(callTranscripts.createdAt))
		.limit(1);
	if (!row) return { status: 'none', lines: [], language: null, engine: null, model: null };
	return { status: row.status, lines: row.status === 'done' ? row.segments : [], language: row.language, engine: row.engine, model: row.model };
}
