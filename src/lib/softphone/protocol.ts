/**
 * The wire format of the local device channel (GET /api/softphone/events, POST
 * /api/softphone/action), shared by the server route and the browser adapter. Event names and
 * payloads follow the Voice SDK's Device and Call events so the adapter maps them one to one.
 */
import type { MediaEvent, MediaSignal } from '$lib/media/media-signal';

/** `media` relays a WebRTC signal (offer, answer, ICE candidate) to the other side of the call's bridge. */
export type SoftphoneAction = 'accept' | 'reject' | 'disconnect' | 'mute' | 'unmute' | 'digits' | 'media';

export const SOFTPHONE_ACTIONS: readonly SoftphoneAction[] = ['accept', 'reject', 'disconnect', 'mute', 'unmute', 'digits', 'media'];

export interface IncomingCallInfo {
	callSid: string;
	from: string;
	to: string;
	/** The Voice SDK's `call.parameters` (CallSid, AccountSid, From, To). */
	parameters: Record<string, string>;
	/** The Voice SDK's `call.customParameters`, from `<Parameter>` nouns. */
	customParameters: Record<string, string>;
}

export type DeviceChannelEvent =
	| { type: 'registered'; deviceId: string; identity: string }
	| { type: 'unregistered' }
	| ({ type: 'incoming' } & IncomingCallInfo)
	| { type: 'accept'; callSid: string }
	| { type: 'cancel'; callSid: string }
	| { type: 'disconnect'; callSid: string }
	| { type: 'reject'; callSid: string }
	| { type: 'mute'; callSid: string; muted: boolean }
	/** Local-only: what the carrier says or plays on the agent's leg. */
	| { type: 'audio'; callSid: string; text: string }
	/** Local-only: WebRTC signaling for the call's audio between this browser and the other side's. */
	| { type: 'media'; callSid: string; media: MediaEvent }
	| { type: 'error'; callSid: string | null; code: number; message: string };

export interface SoftphoneActionRequest {
	deviceId: string;
	callSid: string;
	action: SoftphoneAction;
	digits?: string;
	/** For `media`. */
	signal?: MediaSignal;
}

export interface SoftphoneTokenResponse {
	mode: 'local' | 'twilio';
	token: string;
	identity: string;
	/** ISO 8601. */
	expiresAt: string;
}
