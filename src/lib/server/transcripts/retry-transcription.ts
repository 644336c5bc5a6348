/**
 * A manager's "Retry" on a transcript that failed (bad audio that has since been fixed, an engine
 * that was down past the job's retries), or "Transcribe" on a stored recording that has none yet
 * (recorded before transcription existed). One winner when several press it at once: the state
 * change is a conditional update, and only the request that made it queues a job.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { calls } from '../db/schema/calls';
import { callTranscripts } from '../db/schema/transcripts';
import { AppError, notFound } from '../errors';
import type { Jobs } from '../jobs/jobs';
import { queueTranscription, transcriptionJobKey } from './queue-transcription';

export async function retryTranscription(deps: { db: Db; jobs: Pick<Jobs, 'enqueue'> }, callId: string): Promise<{ transcriptId: string; status: 'queued' }> {
	return deps.db.transaction(async (tx) => {
		const [call] = await tx.select({ id: calls.id, recordingSid: calls.recordingSid, recordingStatus: calls.recordingStatus }).from(calls).where(eq(calls.id, callId));
		if (!call) throw notFound('CALL_NOT_FOUND', 'No such call.');
		if (call.recordingStatus !== 'stored' || !call.recordingSid) {
			throw new AppError('CONFLICT', 'NO_STORED_RECORDING', 'This call has no stored recording to transcribe; retry the recording first.');
		}
		const created = await queueTranscription(tx, deps.jobs, call.id, call.recordingSid);
		if (created) return { transcriptId: created, status: 'queued' as const };
		const [row] = await tx
			.update(callTranscripts)
			.set({ status: 'queued' })
			.where(and(eq(callTranscripts.callId, call.id), eq(callTranscripts.recordingSid, call.recordingSid), eq(callTranscripts.status, 'failed')))
			.returning({ id: callTranscripts.id });
		if (!row) throw new AppError('CONFLICT', 'TRANSCRIPT_NOT_FAILED', 'This transcript has not failed (it is queued, running or done), so there is nothing to retry.');
		const jobId = await deps.jobs.enqueue(tx, 'transcribe-recording', { transcriptId: row.id }, { singletonKey: transcriptionJobKey(row.id) });
		await tx.update(callTranscripts).set({ jobId }).where(eq(callTranscripts.id, row.id));
		return { transcriptId: row.id, status: 'queued' as const };
	});
}
