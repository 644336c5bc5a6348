/**
 * What happens when someone leaves a call's conference: a supervisor's monitoring ends (the agent
 * stops seeing them, the archive closes the segment), and a customer left without any agent goes
 * back in line (inbound) or is told the call ends (outbound): never alone on hold.
 */
import { api } from '$convex/_generated/api';
import { addCallEvent } from '../calls/call-archive';
import { enqueue, hangup, response, say } from '../calls/twiml';
import { VOICE_PATHS } from '../calls/voice-paths';
import { SYSTEM_IDENTITY } from '../live/hot';
import { logger } from '../log';
import type { ConferenceEventServices } from './conference-events';
import { archiveCallId } from './hold-call';
import { SEGMENT_KINDS } from '../db/schema/call-control';
import { closeSegments, endPartySegment, lockCallStory } from './record-segment';
import { parseLabel } from './conference-twiml';

const log = logger('call-control');

export const BACK_IN_LINE = 'Please stay on the line; the next available agent will be with you shortly.';
export const AGENT_LEFT = 'The agent has left the call. Goodbye.';

export function backInLineTwiml(queueName: string): string {
	return response(say(BACK_IN_LINE), enqueue(queueName, { waitUrl: VOICE_PATHS.wait, action: VOICE_PATHS.enqueueAction }));
}

/**
 * The last agent left: a customer who is talking just had their agent hang up, so the call ends
 * as a plain call would; a customer on hold would otherwise wait alone forever, so they go back
 * in line (or, outbound, are told and let go).
 */
export async function requeueAloneCustomer(
	services: ConferenceEventServices,
	input: { callSid: string; conferenceSid: string; customerCallSid: string | null; customerHeld: boolean },
	now = new Date()
): Promise<void> {
	const { callSid, conferenceSid, customerCallSid } = input;
	if (!input.customerHeld) {
		await services.adapters.telephony.endConference(conferenceSid);
		return;
	}
	const decision = await services.hot.mutation(api.callControl.requeueAlone, { callSid }, SYSTEM_IDENTITY);
	if (!decision || !customerCallSid) return;
	const twiml = decision.kind === 'requeued' ? backInLineTwiml(decision.queueName) : response(say(AGENT_LEFT), hangup());
	try {
		// Leaving the conference by redirect also ends any hold: the customer hears the message, then the queue.
		await services.adapters.telephony.updateCall(customerCallSid, { twiml });
	} catch (error) {
		log.warn('could not move a customer left alone out of the conference; ending it', { callSid, error: String(error) });
		await services.adapters.telephony.endConference(conferenceSid);
	}
	const callId = await archiveCallId(services, callSid);
	if (callId) {
		await services.db.transaction(async (tx) => {
			await lockCallStory(tx, callId);
			await closeSegments(tx, { callId, kind: 'hold', endedAt: now });
			await addCallEvent(tx, { callId, kind: decision.kind === 'requeued' ? 'control.requeued' : 'control.ended-alone', at: now, payload: decision.kind === 'requeued' ? { queue: decision.queueName } : {} });
		});
	}
}

/** A supervisor's leg left: the agent no longer sees them; the monitoring segment closes. */
export async function endMonitoring(services: ConferenceEventServices, callSid: string, legSid: string, now = new Date()): Promise<void> {
	const gone = await services.hot.mutation(api.callControl.removeListener, { callSid, legSid }, SYSTEM_IDENTITY);
	if (!gone) return;
	const callId = await archiveCallId(services, callSid);
	if (!callId) return;
	await services.db.transaction(async (tx) => {
		await lockCallStory(tx, callId);
		await closeSegments(tx, { callId, kind: 'monitor', agentId: gone.userId, endedAt: now });
		await addCallEvent(tx, { callId, kind: 'monitor.ended', at: now, payload: { by: gone.userId, mode: gone.mode } });
	});
}

/** An added party left by themselves (hung up): their conference segment closes, as when the agent drops them. */
export async function endPartyStory(services: ConferenceEventServices, callSid: string, input: { callAgentId: string; label: string; others: { label: string }[] }, now = new Date()): Promise<void> {
	const kind = parseLabel(input.label)?.kind;
	if (kind !== 'agent' && kind !== 'external') return;
	const callId = await archiveCallId(services, callSid);
	if (!callId) return;
	await services.db.transaction(async (tx) => {
		await lockCallStory(tx, callId);
		await endPartySegment(tx, { callId, ...input, at: now });
	});
}

/** The conference ended: whatever was still going on the call (a hold, monitoring) ends with it. */
export async function closeOpenSegments(services: ConferenceEventServices, callSid: string, now = new Date()): Promise<void> {
	const callId = await archiveCallId(services, callSid);
	if (!callId) return;
	await services.db.transaction(async (tx) => {
		await lockCallStory(tx, callId);
		for (const kind of SEGMENT_KINDS) await closeSegments(tx, { callId, kind, endedAt: now });
	});
}
