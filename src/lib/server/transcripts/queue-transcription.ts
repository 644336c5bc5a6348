/**
 * Queues the transcription of a stored recording: the `call_transcripts` row (status `queued`)
 * and its `transcribe-recording` job, written in the caller's transaction, the one that marks
 * the recording stored, so a stored recording always has its transcript on the way. Idempotent:
 * a second call for the same recording finds the row and queues nothing.
 */
import { eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { calls } from '../db/schema/calls';
import { callTranscripts, type TranscriptKind } from '../db/schema/transcripts';
import type { Jobs } from '../jobs/jobs';

export interface TranscribeRecordingData {
	transcriptId: string;
}

type CallRow = Pick<typeof calls.$inferSelect, 'id' | 'direction' | 'customerId' | 'agentId' | 'queue' | 'receivedAt' | 'answeredAt' | 'voicemailAt'>;

/** A recording made after the voicemail prompt on a call no agent answered is a voicemail. */
export function transcriptKind(call: Pick<CallRow, 'answeredAt' | 'voicemailAt'>): TranscriptKind {
	return call.voicemailAt && !call.answeredAt ? 'voicemail' : 'call';
}

/** The pg-boss singleton key of a transcript's job: one queued or running job per recording. */
export const transcriptionJobKey = (transcriptId: string) => `transcript:${transcriptId}`;

/** Returns the transcript id, or null when this recording already had one. */
export async function queueTranscription(tx: Tx | Db, jobs: Pick<Jobs, 'enqueue'>, callId: string, recordingSid: string): Promise<string | null> {
	const [call] = await tx.select().from(calls).where(eq(calls.id, callId));
	if (!call) return null;
	const [row] = await tx
		.insert(callTranscripts)
		.values({
			callId: call.id,
			recordingSid,
			kind: transcriptKind(call),
			customerId: call.customerId,
			agentId: call.agentId,
			queue: call.queue,
			direction: call.direction,
			occurredAt: call.receivedAt
		})
		.onConflictDoNothing({ target: [callTranscripts.callId, callTranscripts.recordingSid] })
		.returning({ id: callTranscripts.id });
	if (!row) return null;
	const jobId = await jobs.enqueue(tx, 'transcribe-recording', { transcriptId: row.id }, { singletonKey: transcriptionJobKey(row.id) });
	await tx.update(callTranscripts).set({ jobId }).where(eq(callTranscripts.id, row.id));
	return row.id;
}
