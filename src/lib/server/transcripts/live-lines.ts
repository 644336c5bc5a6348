/**
 * A call's live transcript as the archive kept it (final lines of `<Start><Transcription>`,
 * masked), in the order the carrier numbered them: what the post-call transcript can be seeded
 * from or checked against. Times are when each line was recognised (its end, roughly), in
 * seconds from the first line, since a live line has no start of its own.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { liveTranscriptLines, type TranscriptSpeaker } from '../db/schema/transcripts';

export interface LiveLine {
	speaker: TranscriptSpeaker;
	/** Seconds from the first line. */
	at: number;
	text: string;
}

export async function liveLinesOfCall(db: Db, callSid: string): Promise<LiveLine[]> {
	const rows = await db
		.select({ speaker: liveTranscriptLines.speaker, text: liveTranscriptLines.text, spokenAt: liveTranscriptLines.spokenAt })
		.from(liveTranscriptLines)
		.where(eq(liveTranscriptLines.callSid, callSid))
		.orderBy(asc(liveTranscriptLines.sequenceId));
	const first = rows[0]?.spokenAt.getTime() ?? 0;
	return rows.map((r) => ({ speaker: r.speaker, at: Math.round((r.spokenAt.getTime() - first) / 100) / 10, text: r.text }));
}
