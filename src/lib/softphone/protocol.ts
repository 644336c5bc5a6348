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
	/** A call this device placed (`connect`), sent before any of its other events. */
	| ({ type: 'outgoing' } & IncomingCallInfo)
	/** An outgoing call's far end is ringing (`<Dial answerOnBridge>`); `hasEarlyMedia` as in the Voice SDK. */
	| { type: 'ringing'; callSid: string; hasEarlyMedia: boolean }
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
	/** For `media` in a conference: the call SID of the participant whose browser the signal is for. */
	peer?: string;
}

/**
 * `Device.connect({ params })` on the local device channel (POST /api/softphone/action with
 * `action: 'connect'`): the carrier posts `params` to the TwiML App's voice URL.
 */
export interface SoftphoneConnectRequest {
	deviceId: string;
	action: 'connect';
	params: Record<string, string>;
}

/** The Voice SDK sends at most this many custom parameters of at most this many characters (names and values). */
export const CONNECT_PARAMS_MAX = 16;
export const CONNECT_PARAM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const CONNECT_PARAM_VALUE_MAX = 256;

export interface SoftphoneTokenResponse {
	mode: 'local' | 'twilio';
	token: string;
	identity: string;
	/** ISO 8601. */
	expiresAt: string;
}
