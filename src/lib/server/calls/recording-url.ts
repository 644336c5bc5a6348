/** A short-lived signed URL for a call's stored recording: the browser plays it without holding storage credentials. */
import { eq } from 'drizzle-orm';
import type { StoragePort } from '../adapters/storage/port';
import type { Db } from '../db/client';
import { calls } from '../db/schema/calls';
import { AppError } from '../errors';

export const RECORDING_URL_SECONDS = 300;

export async function recordingUrl(
	deps: { db: Db; storage: Pick<StoragePort, 'signedUrl'> },
	callId: string,
	now = new Date()
): Promise<{
	url: string;
	expiresAt: Date;
	durationSeconds: number | null;
	channels: number | null;
}> {
	const [call] = await deps.db.select().from(calls).where(eq(calls.id, callId));
	if (!call) throw new AppError('NOT_FOUND', 'CALL_NOT_FOUND', 'No such call.');
	if (call.recordingStatus === 'fetching')
		throw new AppError('CONFLICT', 'RECORDING_NOT_READY', 'The recording is still being saved; try again in a moment.');
	if (call.recordingStatus !== 'stored' || !call.recordingKey) {
		throw new AppError(
			'NOT_FOUND',
			'NO_RECORDING',
			call.recordingStatus === 'failed' ? 'The recording could not be saved.' : 'This call has no recording.'
		);
	}
	const url = await deps.storage.signedUrl(call.recordingKey, {
		expiresInSeconds: RECORDING_URL_SECONDS
	});
	return {
		url,
		expiresAt: new Date(now.getTime() + RECORDING_URL_SECONDS * 1000),
		durationSeconds: call.recordingSeconds,
		channels: call.recordingChannels
	};
}
