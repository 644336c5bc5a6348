/**
 * Pause or resume the recording of a live call from the softphone (a card number, a private
 * matter). Only the agent on the call, or a supervisor, may; the server checks it against the
 * archive, where the agent who answered is recorded. The carrier does the pausing (Twilio:
 * update the call's current recording with Status paused / in-progress; paused stretches are
 * skipped, so the stored file and its duration leave them out), the archive keeps an event per
 * change, and hot state shows the recording state on the call.
 */
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import { roleAllows, type Role } from '$lib/roles';
import { AdapterError } from '../adapters/errors';
import { calls } from '../db/schema/calls';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY } from '../live/hot';
import { logger } from '../log';
import { addCallEvent } from './call-archive';
import type { VoiceServices } from './voice-services';

const log = logger('voice');

export interface SetCallRecordingResult {
	callSid: string;
	recording: 'on' | 'paused';
}

export async function setCallRecording(
	services: Pick<VoiceServices, 'db' | 'hot' | 'adapters'>,
	actor: { id: string; role: Role },
	input: { callSid: string; paused: boolean },
	now = new Date()
): Promise<SetCallRecordingResult> {
	const [call] = await services.db.select().from(calls).where(eq(calls.callSid, input.callSid));
	if (!call) throw new AppError('NOT_FOUND', 'CALL_NOT_FOUND', 'No such call.');
	if (call.agentId !== actor.id && !roleAllows('supervisor', actor.role)) {
		throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agent on this call, or a supervisor, can pause or resume its recording.');
	}
	if (!call.answeredAt || call.endedAt) throw new AppError('CONFLICT', 'CALL_NOT_LIVE', 'The recording can only be paused or resumed while the call is connected.');
	try {
		await services.adapters.telephony.updateCallRecording(input.callSid, { status: input.paused ? 'paused' : 'in-progress', pauseBehavior: 'skip' });
	} catch (error) {
		if (error instanceof AdapterError && error.notFound) throw new AppError('CONFLICT', 'NOT_RECORDING', 'This call is not being recorded right now.');
		throw error;
	}
	await addCallEvent(services.db, { callId: call.id, kind: input.paused ? 'recording.paused' : 'recording.resumed', at: now, payload: { by: actor.id } });
	try {
		await services.hot.mutation(api.callBoard.setRecording, { callSid: input.callSid, recording: !input.paused }, SYSTEM_IDENTITY);
	} catch (error) {
		log.warn('could not show the recording state in hot state', { callSid: input.callSid, error: String(error) });
	}
	return { callSid: input.callSid, recording: input.paused ? 'paused' : 'on' };
}
