/**
 * Moving a call into its conference, the first time it needs control (hold, transfer, a third
 * party, a supervisor). Hot state first (controlState `moving`), then the carrier: the bridge's
 * CHILD leg is redirected into `call-<customerCallSid>`; Twilio then ends the parent's `<Dial>`,
 * whose action handler (inbound and outbound) answers the conference TwiML for the parent leg
 * (`conferenceTwimlForMovingLeg`). ARCHITECTURE.md, "Call control".
 */
import { api } from '$convex/_generated/api';
import type { Doc } from '$convex/_generated/dataModel';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY } from '../live/hot';
import { logger } from '../log';
import type { VoiceServices } from '../calls/voice-services';
import { conferenceNameFor, conferenceTwiml, type ParticipantLabel } from './conference-twiml';

export interface ConferenceRef {
	conferenceName: string;
	/** Null until the carrier reports the conference (its first event). */
	conferenceSid: string | null;
	customerCallSid: string;
	agentCallSid: string;
}

export type CallControlServices = Pick<VoiceServices, 'hot' | 'adapters' | 'config' | 'db'>;
type ActiveRow = Doc<'active_calls'>;

const log = logger('call-control');

/** The customer's and the agent's legs of a live call, from its hot row. */
export function legsOf(row: ActiveRow): { customerCallSid: string | null; agentCallSid: string | null } {
	return row.direction === 'inbound'
		? { customerCallSid: row.customerCallSid ?? row.callSid, agentCallSid: row.agentCallSid ?? null }
		: { customerCallSid: row.customerCallSid ?? null, agentCallSid: row.agentCallSid ?? row.callSid };
}

function refOf(row: ActiveRow, customerCallSid: string, agentCallSid: string): ConferenceRef {
	return { conferenceName: row.conferenceName ?? conferenceNameFor(customerCallSid), conferenceSid: row.conferenceSid ?? null, customerCallSid, agentCallSid };
}

/** The live call `callSid` (any of its legs) belongs to; CALL_NOT_LIVE when there is none. */
export async function liveCall(services: Pick<VoiceServices, 'hot'>, callSid: string): Promise<ActiveRow> {
	const row = await services.hot.query(api.callControl.byLeg, { legSid: callSid }, SYSTEM_IDENTITY);
	if (!row || row.state === 'wrapup' || row.state === 'ringing') throw new AppError('CONFLICT', 'CALL_NOT_LIVE', 'This call is not live any more.');
	return row;
}

/**
 * Idempotent: the call's conference, moving the call into it if it is still a plain bridge.
 * `callSid` may name any leg of the call. A failed redirect undoes the hot-state move, so the
 * call stays a working bridge and nothing is half written.
 */
export async function ensureConference(services: CallControlServices, callSid: string): Promise<ConferenceRef> {
	const row = await liveCall(services, callSid);
	const { customerCallSid, agentCallSid } = legsOf(row);
	if (!customerCallSid || !agentCallSid) throw new AppError('CONFLICT', 'CALL_NOT_BRIDGED', 'The call is not connected to the customer yet.');
	const conferenceName = conferenceNameFor(customerCallSid);
	const move = await services.hot.mutation(api.callControl.beginMove, { callSid: row.callSid, conferenceName }, SYSTEM_IDENTITY);
	if (!('row' in move) || !move.row) throw new AppError('CONFLICT', 'CALL_NOT_LIVE', ('refused' in move && move.refused) || 'The call is not live.');
	if (!move.started) return refOf(move.row, customerCallSid, agentCallSid);

	// The leg that is NOT running the Dial: redirecting it leaves the parent's Dial to end by itself.
	const queuePickup = row.bridgedBy === 'queue';
	const child = queuePickup || row.direction === 'outbound' ? customerCallSid : agentCallSid;
	const label: ParticipantLabel = child === customerCallSid ? 'customer' : `agent:${row.agentId}`;
	try {
		await services.adapters.telephony.updateCall(child, { twiml: conferenceTwiml(conferenceName, label) });
	} catch (error) {
		await services.hot.mutation(api.callControl.abortMove, { callSid: row.callSid }, SYSTEM_IDENTITY);
		log.warn('moving a call into its conference failed', { callSid: row.callSid, error: String(error) });
		throw new AppError('CONFLICT', 'MOVE_FAILED', 'The call could not be moved into a conference; it goes on as before.');
	}
	return refOf(move.row, customerCallSid, agentCallSid);
}

/**
 * For a Dial action: when the leg that asks belongs to a call moving into its conference, the
 * TwiML that puts this (parent) leg in; otherwise null and the handler carries on as before.
 */
export async function conferenceTwimlForMovingLeg(services: Pick<VoiceServices, 'hot'>, legSid: string): Promise<string | null> {
	const row = await services.hot.query(api.callControl.byLeg, { legSid }, SYSTEM_IDENTITY);
	if (!row?.controlState || !row.conferenceName || row.state === 'wrapup') return null;
	const { customerCallSid } = legsOf(row);
	return conferenceTwiml(row.conferenceName, legSid === customerCallSid ? 'customer' : `agent:${row.agentId}`);
}

/**
 * Wait until the customer is in the conference (its participant-join came back), for controls
 * that act on the customer's participant right after the move. CONFERENCE_NOT_READY after `timeoutMs`.
 */
export async function conferenceReady(services: CallControlServices, callSid: string, timeoutMs = 10_000): Promise<ConferenceRef & { conferenceSid: string }> {
	const ref = await ensureConference(services, callSid);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const row = await liveCall(services, callSid);
		if (row.controlState === 'conference' && row.conferenceSid) return { ...ref, conferenceSid: row.conferenceSid };
		if (Date.now() > deadline) throw new AppError('CONFLICT', 'CONFERENCE_NOT_READY', 'The call is still moving into a conference; try again in a moment.');
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
