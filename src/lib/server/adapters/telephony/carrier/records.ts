/** The records the local carrier keeps (messages, calls, recordings, media), the events it emits, and its options. */
import type { CallProgressEvent, CallRecord, MessageRecord } from '../port';

/** A status callback exactly as Twilio would send it: the URL, the method, the fields and their signature. */
export interface SignedCallback {
	url: string;
	method: 'GET' | 'POST';
	params: Record<string, string>;
	signature: string;
}

export interface LocalMessage extends MessageRecord {
	mediaUrls: string[];
	/** For media the carrier keeps (a phone's attachments): each file's type, by position; null where unknown. */
	mediaContentTypes?: (string | null)[];
	statusCallback: string | null;
}

/** What an answered call runs: TwiML fetched from a URL, or given inline. */
export type CallInstructions = { url: string; method: 'GET' | 'POST' } | { twiml: string };

export interface LocalCall extends CallRecord {
	instructions: CallInstructions;
	statusCallback: string | null;
	/** How the status callbacks are requested (Twilio's StatusCallbackMethod, POST by default). */
	statusCallbackMethod: 'GET' | 'POST';
	statusCallbackEvent: CallProgressEvent[];
	record: boolean;
	timeoutSeconds: number;
	/** Next `SequenceNumber` for this call's status callbacks (Twilio counts from 0). */
	sequence: number;
	/** Set on a call a softphone placed through the TwiML App: its requests carry ApplicationSid and an empty Called. */
	applicationSid?: string | null;
}

export interface LocalRecording {
	sid: string;
	accountSid: string;
	callSid: string | null;
	url: string;
	body: Uint8Array;
	contentType: string;
	durationSeconds: number;
	channels: 1 | 2;
	/** Twilio's `source`: RecordVerb, DialVerb, OutboundAPI, Conference... */
	source: string;
	dateCreated: Date;
}

/** A media file a phone attached to a text, kept by the carrier and served at its MediaUrl (Basic auth). */
export interface LocalMedia {
	sid: string;
	messageSid: string;
	url: string;
	body: Uint8Array;
	contentType: string;
}

export interface LocalCarrierEvents {
	/** An outbound message was accepted. */
	message: [message: LocalMessage];
	/** A message changed status; `callback` is set when the sender asked for status callbacks. */
	'message-status': [message: LocalMessage, callback: SignedCallback | null];
	/** An outbound call was accepted. */
	call: [call: LocalCall];
	/** A call changed status; `callback` is set when the requested events include this change. */
	'call-status': [call: LocalCall, callback: SignedCallback | null];
	/** A live call was given new TwiML. */
	'call-redirect': [call: LocalCall];
}

export interface LocalCarrierOptions {
	accountSid: string;
	authToken: string;
	/** Origin (and path prefix) the carrier's REST paths and RecordingUrls live under. */
	apiBaseUrl: string;
	/** Clock, for tests. */
	now?: () => Date;
}

export interface VerifiedClientToken {
	identity: string;
	expiresAt: Date;
	outgoingApplicationSid: string | null;
	incomingAllow: boolean;
}
