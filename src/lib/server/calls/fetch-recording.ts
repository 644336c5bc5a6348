/**
 * The `fetch-recording` job: the carrier's recording (a two-channel call or a voicemail) is
 * fetched with the account's credentials and stored through the Storage port, then the call row
 * says where. Queued by the recording status webhook in its own transaction, so the webhook
 * answers at once. Retries back off; the last failed attempt leaves `recording_status = failed`.
 * Once stored, the carrier's copy is deleted (unless DELETE_CARRIER_COPIES=false): Twilio keeps
 * recordings until deleted, and personal data should live in one place. A failed delete is
 * logged, not retried: the archive is complete, and re-fetching would not help. The update that
 * marks the recording stored also queues its transcription (transcripts/queue-transcription.ts).
 */
import { errorMessage } from '../../errors';
import { and, eq } from 'drizzle-orm';
import type { StoragePort } from '../adapters/storage/port';
import type { TelephonyPort } from '../adapters/telephony/port';
import { AdapterError } from '../adapters/errors';
import type { Db } from '../db/client';
import { calls } from '../db/schema/calls';
import type { Jobs } from '../jobs/jobs';
import { logger } from '../log';
import { queueTranscription } from '../transcripts/queue-transcription';

export interface FetchRecordingData {
	callSid: string;
	recordingSid: string;
	recordingUrl: string;
	durationSeconds: number | null;
	channels: number | null;
}

const log = logger('voice');

/** `recordings/<CallSid>/<RecordingSid>.wav`: one folder per call. */
export function recordingKey(callSid: string, recordingSid: string): string {
	return `recordings/${callSid}/${recordingSid}.wav`;
}

/** Twilio serves a RecordingUrl without an extension as WAV; ask for it explicitly. */
export function wavUrl(url: string): string {
	return /\.(wav|mp3)$/i.test(url) ? url : `${url}.wav`;
}

/** A failure that will not go away by trying again (a 404 right after the callback may: Twilio can lag). */
function permanent(error: unknown): boolean {
	return error instanceof AdapterError && !error.retryable && !error.notFound;
}

export interface FetchRecordingDeps {
	db: Db;
	adapters: { telephony: Pick<TelephonyPort, 'fetchRecording' | 'deleteRecording'>; storage: Pick<StoragePort, 'put'> };
	/** `deleteCarrierCopies` false keeps the carrier's copy; default true. */
	settings?: { deleteCarrierCopies?: boolean };
	/** Queues the transcription in the transaction that marks the recording stored. */
	jobs: Pick<Jobs, 'enqueue'>;
}

export async function fetchRecordingJob(
	deps: FetchRecordingDeps,
	data: FetchRecordingData,
	job: { lastAttempt: boolean; retryCount?: number }
): Promise<void> {
	const { db, adapters } = deps;
	const key = recordingKey(data.callSid, data.recordingSid);
	const thisRecording = and(eq(calls.callSid, data.callSid), eq(calls.recordingSid, data.recordingSid));
	const attempts = (job.retryCount ?? 0) + 1;
	try {
		const media = await adapters.telephony.fetchRecording(wavUrl(data.recordingUrl));
		await adapters.storage.put(key, media.body, media.contentType || 'audio/x-wav');
	} catch (error) {
		const reason = errorMessage(error);
		const final = job.lastAttempt || permanent(error);
		// The timeline shows each failed attempt while pg-boss retries, and the last one once it gives up.
		await db
			.update(calls)
			.set({ recordingAttempts: attempts, recordingError: reason, ...(final ? { recordingStatus: 'failed' as const } : {}) })
			.where(thisRecording);
		if (final) {
			log.error('recording could not be stored', { callSid: data.callSid, recordingSid: data.recordingSid, attempts, error: reason });
			return;
		}
		throw error;
	}
	// Stored and queued for transcription together: a stored recording always has its transcript on the way.
	const archived = await db.transaction(async (tx) => {
		const rows = await tx
			.update(calls)
			.set({
				recordingStatus: 'stored',
				recordingKey: key,
				recordingSeconds: data.durationSeconds,
				recordingChannels: data.channels,
				recordingAttempts: attempts,
				recordingError: null
			})
			.where(thisRecording)
			.returning({ id: calls.id });
		for (const row of rows) await queueTranscription(tx, deps.jobs, row.id, data.recordingSid);
		return rows;
	});
	// The carrier's copy goes only once the archive points at ours: a call whose row names a later
	// recording would otherwise lose the only reference to this one.
	if (archived.length === 0) {
		log.warn('recording stored, but the call now names another recording; the carrier copy is kept', { callSid: data.callSid, recordingSid: data.recordingSid, key });
		return;
	}
	if (deps.settings?.deleteCarrierCopies !== false) await deleteCarrierRecording(adapters.telephony, data);
}

async function deleteCarrierRecording(telephony: Pick<TelephonyPort, 'deleteRecording'>, data: FetchRecordingData): Promise<void> {
	try {
		await telephony.deleteRecording(data.recordingSid);
	} catch (error) {
		log.warn('recording stored, but the carrier copy could not be deleted; delete it by hand', {
			callSid: data.callSid,
			recordingSid: data.recordingSid,
			error: error instanceof Error ? error.message : String(error)
		});
	}
}
