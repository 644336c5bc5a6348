/**
 * Hold and resume from the softphone. Only the agent on the call may. Hot state decides first
 * (one outcome for a double click: ALREADY_HELD / NOT_HELD), then the carrier holds the
 * customer's participant with our hold music; if the carrier refuses, hot state is put back, so
 * nothing is half written. The archive keeps an event per change and a `hold` segment per hold (open while it lasts).
 */
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import { addCallEvent } from '../calls/call-archive';
import { calls } from '../db/schema/calls';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY } from '../live/hot';
import { conferenceReady, liveCall, type CallControlServices } from './conference';
import { CONFERENCE_PATHS } from './conference-twiml';
import { lockCallStory, switchSegment } from './record-segment';
import { logCallControlEvent } from '../reporting/log-call-control-event';

export interface HoldResult {
	callSid: string;
	held: boolean;
	/** Seconds this hold lasted (a resume), else 0. */
	heldSeconds: number;
}

/** The archive row of a live call (keyed by the hot row's callSid, as the webhooks key it). */
export async function archiveCallId(services: Pick<CallControlServices, 'db'>, callSid: string): Promise<string | null> {
	const [row] = await services.db.select({ id: calls.id }).from(calls).where(eq(calls.callSid, callSid));
	return row?.id ?? null;
}

export async function setCallHold(
	services: CallControlServices,
	actor: { id: string },
	input: { callSid: string; held: boolean },
	now = new Date()
): Promise<HoldResult> {
	const row = await liveCall(services, input.callSid);
	if (row.agentId !== actor.id) throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agent on this call can put it on hold or resume it.');
	if (input.held && row.state === 'on-hold') throw new AppError('CONFLICT', 'ALREADY_HELD', 'The call is already on hold.');
	if (!input.held && row.state !== 'on-hold') throw new AppError('CONFLICT', 'NOT_HELD', 'The call is not on hold.');

	const ref = await conferenceReady(services, row.callSid);
	const decided = await services.hot.mutation(api.callControl.setHold, { callSid: row.callSid, held: input.held, now: now.getTime() }, SYSTEM_IDENTITY);
	if (!decided.ok) throw new AppError('CONFLICT', decided.code, decided.message);
	try {
		await services.adapters.telephony.updateConferenceParticipant(ref.conferenceSid, ref.customerCallSid, {
			hold: input.held,
			...(input.held ? { holdUrl: `${services.config.publicBaseUrl}${CONFERENCE_PATHS.holdMusic}`, holdMethod: 'POST' as const } : {})
		});
	} catch (error) {
		// Put hot state back as it was: the customer's hold did not change.
		await services.hot.mutation(api.callControl.setHold, { callSid: row.callSid, held: !input.held, now: row.holdStartedAt ?? now.getTime() }, SYSTEM_IDENTITY);
		throw new AppError('CONFLICT', 'HOLD_FAILED', `The carrier could not ${input.held ? 'hold' : 'resume'} the call: ${error instanceof Error ? error.message : String(error)}`);
	}

	const callId = await archiveCallId(services, row.callSid);
	if (callId) {
		await services.db.transaction(async (tx) => {
			await lockCallStory(tx, callId);
			await addCallEvent(tx, { callId, kind: input.held ? 'hold.started' : 'hold.ended', at: now, payload: { by: actor.id, ...(input.held ? {} : { seconds: decided.heldSeconds }) } });
			// A hold is a segment from the moment it starts, so a call that ends held still shows it; the agent's talk pauses meanwhile.
			if (input.held) await switchSegment(tx, { callId, agentId: actor.id, from: 'talk', to: 'hold', at: now });
			else await switchSegment(tx, { callId, agentId: actor.id, from: 'hold', to: 'talk', at: now });
			// Reports: a hold's seconds move from talk to hold (handle time counts each second once); the hold's start names it.
			const ref = `hold:${row.callSid}:${input.held ? now.getTime() : (row.holdStartedAt ?? now.getTime())}`;
			await logCallControlEvent(tx, { callSid: row.callSid, kind: input.held ? 'held' : 'resumed', agentId: actor.id, at: now, ref, ...(input.held ? {} : { seconds: decided.heldSeconds }) });
		});
	}
	return { callSid: row.callSid, held: input.held, heldSeconds: decided.heldSeconds };
}
