/**
 * Conference status callbacks (`/webhooks/twilio/voice/conference`): call control's own
 * handling (the customer joined: the call is in its conference; a supervisor left), then the
 * transfer machine's (transfers/conference-events.ts). A replayed delivery changes nothing.
 */
import { z } from 'zod';
import { api } from '$convex/_generated/api';
import { SYSTEM_IDENTITY } from '../live/hot';
import { deliveryKey, recordDeliveryOnce } from '../webhooks/delivery-ledger';
import { onTransferConferenceEvent } from '../transfers/conference-events';
import { archiveJoinedTargetLeft, handoffWrapupSeconds } from '../transfers/transfer-archive';
import type { VoiceServices } from '../calls/voice-services';
import { legsOf } from './conference';
import { parseLabel } from './conference-twiml';
import { closeOpenSegments, endMonitoring, endPartyStory, requeueAloneCustomer } from './leave-rules';

const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be ${prefix} followed by 32 hex digits`);
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const CONFERENCE_EVENT_NAMES = [
	'conference-start',
	'conference-end',
	'participant-join',
	'participant-leave',
	'participant-mute',
	'participant-unmute',
	'participant-hold',
	'participant-unhold',
	'participant-modify',
	'participant-speech-start',
	'participant-speech-stop',
	'announcement-end',
	'announcement-fail'
] as const;

export const ZConferenceEvent = z.object({
	ConferenceSid: sid('CF'),
	FriendlyName: z.string().max(128),
	StatusCallbackEvent: z.enum(CONFERENCE_EVENT_NAMES),
	CallSid: sid('CA').optional(),
	ParticipantLabel: z.string().max(128).optional(),
	Hold: flag.optional(),
	Muted: flag.optional(),
	Coaching: flag.optional(),
	CallSidToCoach: sid('CA').optional(),
	EndConferenceOnExit: flag.optional(),
	SequenceNumber: z.coerce.number().int().min(0).optional(),
	Timestamp: z.string().max(64).optional(),
	ReasonConferenceEnded: z.string().max(128).optional(),
	CallSidEndingConference: sid('CA').optional()
});
export type ConferenceEvent = z.infer<typeof ZConferenceEvent>;
export type ConferenceEventServices = Pick<VoiceServices, 'db' | 'hot' | 'adapters' | 'config' | 'jobs'>;

/** The delivery's dedupe key: the conference's own sequence, or the event and leg when it has none. */
export function conferenceDeliveryKey(event: ConferenceEvent): string {
	return deliveryKey('voice.conference', [event.ConferenceSid, event.SequenceNumber ?? `${event.StatusCallbackEvent}:${event.CallSid ?? ''}`]);
}

const PARTICIPANT_CHANGES = new Set(['participant-join', 'participant-leave', 'participant-hold', 'participant-unhold', 'participant-mute', 'participant-unmute', 'participant-modify']);

/** Returns false for a replayed delivery (nothing done). */
export async function handleConferenceEvent(services: ConferenceEventServices, event: ConferenceEvent): Promise<boolean> {
	if (!(await recordDeliveryOnce(services.db, conferenceDeliveryKey(event), 'voice.conference'))) return false;
	const row = await services.hot.query(api.callControl.byConference, { conferenceName: event.FriendlyName }, SYSTEM_IDENTITY);
	const legs = row ? legsOf(row) : null;
	// Labels name who a leg is; legs joined by TwiML before labels existed are known by their CallSid.
	const label =
		event.ParticipantLabel ??
		(event.CallSid && event.CallSid === legs?.customerCallSid ? 'customer' : event.CallSid && event.CallSid === legs?.agentCallSid && row ? `agent:${row.agentId}` : 'unknown');
	if (event.StatusCallbackEvent === 'participant-join' && label === 'customer') {
		await services.hot.mutation(api.callControl.conferenceStarted, { conferenceName: event.FriendlyName, conferenceSid: event.ConferenceSid }, SYSTEM_IDENTITY);
	}
	let after: { callSid: string; participants: { label: string; hold: boolean }[] } | null = null;
	if (row && event.CallSid && PARTICIPANT_CHANGES.has(event.StatusCallbackEvent)) {
		const left = event.StatusCallbackEvent === 'participant-leave';
		after = await services.hot.mutation(
			api.callControl.applyParticipant,
			{ conferenceName: event.FriendlyName, left, participant: { callSid: event.CallSid, label, hold: event.Hold ?? false, muted: event.Muted ?? false, coaching: event.Coaching ?? false } },
			SYSTEM_IDENTITY
		);
		if (left && parseLabel(label)?.kind === 'supervisor') await endMonitoring(services, row.callSid, event.CallSid);
		// An agent added to the call is busy while they are in it (a transfer's target is the transfer's to follow).
		const party = parseLabel(label);
		if (party?.kind === 'agent' && party.id !== row.agentId && (left || event.StatusCallbackEvent === 'participant-join')) {
			const wrapupSeconds = left ? await handoffWrapupSeconds(services.db, { queueName: row.queueName }) : undefined;
			const presence = await services.hot.mutation(
				api.callControl.partyPresence,
				{ userId: party.id, legSid: event.CallSid, joined: !left, ...(wrapupSeconds !== undefined ? { wrapupSeconds } : {}) },
				SYSTEM_IDENTITY
			);
			// A three-way call's target hung up before the call's end: their part ends and their wrap-up starts now.
			if (presence && wrapupSeconds !== undefined) await archiveJoinedTargetLeft(services, presence.joinedTargetOf, wrapupSeconds, new Date());
		}
		if (left && after && label !== `agent:${row.agentId}`) await endPartyStory(services, row.callSid, { callAgentId: row.agentId, label, others: after.participants });
	}
	if (row && event.StatusCallbackEvent === 'conference-end') await closeOpenSegments(services, row.callSid);
	const transfer = await onTransferConferenceEvent(services, event);
	// The last agent left: unless a transfer took over, the call ends, or a held customer goes back in line.
	if (after && event.StatusCallbackEvent === 'participant-leave' && transfer !== 'handled' && aloneCustomer(after.participants)) {
		const customerHeld = after.participants.some((p) => p.label === 'customer' && p.hold);
		await requeueAloneCustomer(services, { callSid: after.callSid, conferenceSid: event.ConferenceSid, customerCallSid: legs?.customerCallSid ?? null, customerHeld });
	}
	return true;
}

/** Only the customer is left (supervisors listening do not count as company). */
export function aloneCustomer(participants: { label: string }[]): boolean {
	const kinds = participants.map((p) => parseLabel(p.label)?.kind ?? 'unknown');
	return kinds.includes('customer') && !kinds.some((k) => k === 'agent' || k === 'external' || k === 'unknown');
}
