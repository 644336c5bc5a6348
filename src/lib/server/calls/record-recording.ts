/**
 * Recordings as the carrier reports them: the voicemail `<Record action>` and the recording
 * status callback of two-channel call recordings and voicemails. Both write call events; a
 * completed recording also queues the `fetch-recording` job in the same transaction, which moves
 * the audio into the Storage port (the webhook never waits on the carrier or on storage).
 */
import { eq } from 'drizzle-orm';
import { calls } from '../db/schema/calls';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import type { TRecordAction, TRecordingStatus } from '../webhooks/voice-params';
import { addCallEvent, ensureCall } from './call-archive';
import { hangup, response, say } from './twiml';
import type { VoiceServices } from './voice-services';

export const VOICEMAIL_THANKS = 'Thank you for your message. Goodbye.';

export async function handleVoicemailDone(
	services: VoiceServices,
	input: { done: TRecordAction; dedupeKey: string; now?: Date }
): Promise<string> {
	const { done } = input;
	await services.db.transaction(async (tx) => {
		if (!(await recordDeliveryOnce(tx, input.dedupeKey, 'voice.voicemail-done'))) return;
		const call = await ensureCall(tx, { callSid: done.CallSid, direction: 'inbound', fromRaw: done.From, toRaw: done.To });
		await addCallEvent(tx, {
			callId: call.id,
			kind: 'voicemail.recorded',
			at: input.now ?? new Date(),
			payload: { recordingSid: done.RecordingSid ?? null, recordingUrl: done.RecordingUrl ?? null, duration: done.RecordingDuration ?? null }
		});
	});
	return response(say(VOICEMAIL_THANKS), hangup());
}

export async function recordRecordingStatus(
	services: VoiceServices,
	input: { recording: TRecordingStatus; dedupeKey: string; now?: Date }
): Promise<void> {
	const { recording } = input;
	await services.db.transaction(async (tx) => {
		if (!(await recordDeliveryOnce(tx, input.dedupeKey, 'voice.recording'))) return;
		const call = await ensureCall(tx, { callSid: recording.CallSid, direction: 'inbound', fromRaw: recording.From, toRaw: recording.To });
		let jobId: string | null = null;
		if (recording.RecordingStatus === 'completed' && recording.RecordingUrl) {
			jobId = await services.jobs.enqueue(tx, 'fetch-recording', {
				callSid: recording.CallSid,
				recordingSid: recording.RecordingSid,
				recordingUrl: recording.RecordingUrl,
				durationSeconds: recording.RecordingDuration ?? null,
				channels: recording.RecordingChannels ?? null
			});
			await tx
				.update(calls)
				.set({ recordingSid: recording.RecordingSid, recordingStatus: 'fetching', recordingJobId: jobId })
				.where(eq(calls.id, call.id));
		}
		await addCallEvent(tx, {
			callId: call.id,
			kind: `recording.${recording.RecordingStatus}`,
			at: input.now ?? new Date(),
			payload: {
				recordingSid: recording.RecordingSid,
				recordingUrl: recording.RecordingUrl ?? null,
				duration: recording.RecordingDuration ?? null,
				channels: recording.RecordingChannels ?? null,
				source: recording.RecordingSource ?? null,
				jobId
			}
		});
	});
}
