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
import type { VoiceServices } from '../calls/voice-services';
import { legsOf } from './conference';
import { parseLabel } from './conference-twiml';

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

/** Returns false for a replayed delivery (nothing done). */
export async function handleConferenceEvent(services: ConferenceEventServices, event: ConferenceEvent): Promise<boolean> {
	if (!(await recordDeliveryOnce(services.db, conferenceDeliveryKey(event), 'voice.conference'))) return false;
	const row = await services.hot.query(api.callControl.byConference, { conferenceName: event.FriendlyName }, SYSTEM_IDENTITY);
	const label = parseLabel(event.ParticipantLabel);
	const isCustomer = label?.kind === 'customer' || (row !== null && event.CallSid !== undefined && event.CallSid === legsOf(row).customerCallSid);
	if (event.StatusCallbackEvent === 'participant-join' && isCustomer) {
		await services.hot.mutation(api.callControl.conferenceStarted, { conferenceName: event.FriendlyName, conferenceSid: event.ConferenceSid }, SYSTEM_IDENTITY);
	}
	await onTransferConferenceEvent(services, event);
	return true;
}
