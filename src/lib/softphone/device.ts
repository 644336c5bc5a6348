/**
 * The subset of the Voice SDK's Device and Call that Switchboard's softphone uses, so the same
 * component runs on @twilio/voice-sdk (TELEPHONY=twilio) and on the local carrier's device
 * channel (TELEPHONY=local). Names and events follow the SDK; `on` also returns an unsubscribe.
 */

import type { MediaState } from '$lib/media/media-signal';

export interface SoftphoneCallEvents extends Record<string, unknown[]> {
	/**
	 * An outgoing call's far end is ringing. With `<Dial answerOnBridge="true">` the call stays
	 * ringing until the far end answers (`accept`) or the dial ends (`disconnect`); `hasEarlyMedia`:
	 * the network plays its own ringback (otherwise the app may play one).
	 */
	ringing: [hasEarlyMedia: boolean];
	accept: [];
	cancel: [];
	disconnect: [];
	reject: [];
	mute: [muted: boolean];
	error: [error: SoftphoneError];
	/** Local carrier only: what the carrier says or plays on this leg. */
	audio: [text: string];
	/**
	 * Local carrier only: the call's audio between this browser and the other side's (WebRTC),
	 * and whether sound from the other side is arriving. The Voice SDK carries audio itself.
	 */
	media: [state: MediaState, receiving: boolean];
}

/** The Voice SDK's Call.State. */
export type SoftphoneCallStatus = 'pending' | 'connecting' | 'ringing' | 'open' | 'reconnecting' | 'closed';

export interface SoftphoneCall {
	/** Known from the start for incoming calls; for an outgoing one once the carrier has answered the connect ('' before). */
	readonly callSid: string;
	/** INCOMING: offered to this device; OUTGOING: placed with `connect`. */
	readonly direction: 'INCOMING' | 'OUTGOING';
	status(): SoftphoneCallStatus;
	/** The caller as the carrier names them (E.164, `anonymous`, `client:...`). */
	readonly from: string;
	readonly to: string;
	/** From `<Parameter>` nouns: the screen pop (customerName, company, customerId, queue...). */
	readonly customParameters: Map<string, string>;
	accept(): void;
	reject(): void;
	disconnect(): void;
	mute(shouldMute?: boolean): void;
	isMuted(): boolean;
	sendDigits(digits: string): void;
	on<K extends keyof SoftphoneCallEvents>(event: K, listener: (...args: SoftphoneCallEvents[K]) => void): () => void;
}

export interface SoftphoneDeviceEvents extends Record<string, unknown[]> {
	registered: [];
	unregistered: [];
	incoming: [call: SoftphoneCall];
	error: [error: SoftphoneError];
	/** About 10 s before the token expires: fetch a new one and call `updateToken`. */
	tokenWillExpire: [];
}

export interface SoftphoneDevice {
	register(): Promise<void>;
	/**
	 * Use this microphone and speaker (null: the default). The Voice SDK only; the local carrier's
	 * calls leave the choice to the browser. Speaker choice is skipped where the browser cannot do it.
	 */
	setAudioDevices?(choice: { inputId: string | null; outputId: string | null }): Promise<void>;
	unregister(): Promise<void>;
	/**
	 * Place a call (the Voice SDK's Device.connect): the carrier posts `params` to the TwiML App's
	 * voice URL, each as its own form field (`To` among them). Resolves with the call, connecting;
	 * rejects when the device cannot place one (not registered, already on a call).
	 */
	connect(options: { params: Record<string, string> }): Promise<SoftphoneCall>;
	updateToken(token: string): void;
	/** Disconnect every call and stop for good. */
	destroy(): void;
	on<K extends keyof SoftphoneDeviceEvents>(event: K, listener: (...args: SoftphoneDeviceEvents[K]) => void): () => void;
}

/** A device or call error with the Voice SDK's numeric code (31401 microphone denied, 20104 token expired...). */
export class SoftphoneError extends Error {
	constructor(
		readonly code: number,
		message: string
	) {
		super(message);
		this.name = 'SoftphoneError';
	}
}
