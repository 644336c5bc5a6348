/**
 * The TwiML that puts a leg into its call's conference, built with twilio-node like every other
 * document (calls/twiml.ts). Pure: tests compare the exact string.
 */
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { VOICE_PATHS } from '../calls/voice-paths';

export const CONFERENCE_PATHS = {
	/** Conference status callbacks (start end join leave mute hold modify). */
	events: '/webhooks/twilio/voice/conference',
	/** holdUrl of a held participant: our hold music, looped. */
	holdMusic: '/webhooks/twilio/voice/hold-music'
} as const;

export const CONFERENCE_EVENTS = ['start', 'end', 'join', 'leave', 'mute', 'hold', 'modify'] as const;

/** `call-<customerCallSid>`: one conference per call, named by the customer's leg, which stays for the whole call. */
export function conferenceNameFor(customerCallSid: string): string {
	return `call-${customerCallSid}`;
}

/** Participant labels: who a leg is, read back from conference events. */
export type ParticipantLabel = 'customer' | `agent:${string}` | `supervisor:${string}` | `external:${string}`;

export function parseLabel(label: string | undefined): { kind: 'customer' | 'agent' | 'supervisor' | 'external'; id: string } | null {
	if (label === 'customer') return { kind: 'customer', id: '' };
	const m = /^(agent|supervisor|external):(.+)$/.exec(label ?? '');
	return m?.[1] && m[2] ? { kind: m[1] as 'agent' | 'supervisor' | 'external', id: m[2] } : null;
}

/**
 * `<Dial><Conference>` for one leg. The customer ends the conference when they leave (a hang-up
 * tears everything down); agents do not, and the server decides what happens when the last one
 * leaves. Recording runs from the start across transfers.
 */
export function conferenceTwiml(name: string, label: ParticipantLabel): string {
	const twiml = new VoiceResponse();
	twiml.dial().conference(
		{
			participantLabel: label,
			startConferenceOnEnter: true,
			endConferenceOnExit: label === 'customer',
			beep: 'false',
			waitUrl: '',
			statusCallback: CONFERENCE_PATHS.events,
			statusCallbackEvent: [...CONFERENCE_EVENTS],
			record: 'record-from-start',
			recordingStatusCallback: VOICE_PATHS.recording
		},
		name
	);
	return twiml.toString();
}

/** Hold music for a held participant, looped until the hold ends. */
export function holdMusicTwiml(musicUrl: string): string {
	const twiml = new VoiceResponse();
	twiml.play({ loop: 0 }, musicUrl);
	return twiml.toString();
}
