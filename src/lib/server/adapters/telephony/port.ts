/**
 * The telephony port: everything Switchboard asks of a carrier. Twilio is the production
 * adapter; the local carrier is the twin. Both follow Twilio's wire facts (SIDs, statuses,
 * webhook signatures), so domain code and webhooks never know which one answers.
 */

/** Twilio's message statuses, outbound and inbound. */
export type MessageStatus =
	| 'accepted'
	| 'scheduled'
	| 'queued'
	| 'sending'
	| 'sent'
	| 'delivered'
	| 'undelivered'
	| 'failed'
	| 'receiving'
	| 'received'
	| 'read'
	| 'partially_delivered'
	| 'canceled';

/** Twilio's call statuses. */
export type CallStatus = 'queued' | 'initiated' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

export type MessageDirection = 'inbound' | 'outbound-api' | 'outbound-call' | 'outbound-reply';
export type CallDirection = 'inbound' | 'outbound-api' | 'outbound-dial';

/** Call progress events a status callback can ask for (`answered` arrives as `in-progress`). */
export type CallProgressEvent = 'initiated' | 'ringing' | 'answered' | 'completed';

/** A form-encoded webhook as received: repeated names carry every value. */
export interface WebhookRequest {
	/** The `X-Twilio-Signature` header; missing or empty never validates. */
	signature: string | null | undefined;
	/** The public URL the carrier requested (configured base URL + path + query), not the proxy-side URL. */
	url: string;
	/** Every form field received, unmodified. */
	params: Record<string, string | string[]>;
}

/** A JSON-body webhook: the URL carries `bodySHA256`, the signature covers the URL only. */
export interface JsonWebhookRequest {
	signature: string | null | undefined;
	/** The public URL including its `bodySHA256` query parameter. */
	url: string;
	/** The raw body exactly as received. */
	body: string;
}

export interface SendMessageInput {
	/** Sender: an E.164 number owned by the account (or a Messaging Service SID, `MG...`). */
	from: string;
	/** Recipient in E.164. */
	to: string;
	/** Up to `SMS_BODY_MAX` characters (`$lib/sms/limits`); may be empty when `mediaUrls` is given. */
	body: string;
	/** Public URLs of media to attach (MMS), at most 10. */
	mediaUrls?: string[];
	/** Absolute URL the carrier posts status changes to. */
	statusCallback?: string;
}

export interface MessageRef {
	/** `SM` (or `MM` with media) followed by 32 hex digits. */
	sid: string;
	status: MessageStatus;
}

export interface MessageRecord extends MessageRef {
	accountSid: string;
	from: string;
	to: string;
	body: string;
	direction: MessageDirection;
	numMedia: number;
	numSegments: number;
	/** Carrier error code on failed/undelivered messages (e.g. 30003), else null. */
	errorCode: number | null;
	errorMessage: string | null;
	dateCreated: Date;
	dateSent: Date | null;
}

interface CreateCallCommon {
	/** Caller ID: an E.164 number owned by the account, or `client:<identity>`. */
	from: string;
	/** E.164 number, `client:<identity>` or a SIP URI. */
	to: string;
	/** Absolute URL the carrier sends progress events to. */
	statusCallback?: string;
	/** How it sends them (Twilio's StatusCallbackMethod); POST when left out. */
	statusCallbackMethod?: 'GET' | 'POST';
	/** Which progress events reach `statusCallback`; the carrier's default is `completed` only. */
	statusCallbackEvent?: CallProgressEvent[];
	/** Record the call from answer. */
	record?: boolean;
	/** Seconds to let the callee ring before giving up (carrier default 60). */
	timeoutSeconds?: number;
}

/** Create a call that runs either the TwiML at `url` or the inline `twiml` once answered. */
export type CreateCallInput = CreateCallCommon &
	({ url: string; method?: 'GET' | 'POST'; twiml?: never } | { twiml: string; url?: never; method?: never });

export interface CallRef {
	/** `CA` followed by 32 hex digits. */
	sid: string;
	status: CallStatus;
}

export interface CallRecord extends CallRef {
	accountSid: string;
	from: string;
	to: string;
	direction: CallDirection;
	parentCallSid: string | null;
	/** Whole seconds, once the call has ended. */
	durationSeconds: number | null;
	startTime: Date | null;
	endTime: Date | null;
	dateCreated: Date;
}

/**
 * Change a live call: run new TwiML (inline or fetched from `url`), or end it. `completed`
 * hangs up a call in any state; `canceled` only stops one that is still queued or ringing.
 */
export type UpdateCallInput = { twiml: string } | { url: string; method?: 'GET' | 'POST' } | { status: 'completed' | 'canceled' };

/**
 * Pause or resume a call's recording (Twilio: `calls(sid).recordings('Twilio.CURRENT').update`).
 * While paused, `skip` leaves that stretch out of the file (the duration is shorter); `silence`
 * (Twilio's default) keeps it as silence.
 */
export interface UpdateCallRecordingInput {
	status: 'paused' | 'in-progress';
	pauseBehavior?: 'skip' | 'silence';
}

export interface CallRecordingRef {
	/** `RE` followed by 32 hex digits. */
	sid: string;
	callSid: string;
	status: 'in-progress' | 'paused' | 'stopped' | 'processing' | 'completed' | 'absent';
}

export interface RecordingMedia {
	body: Uint8Array;
	/** e.g. `audio/x-wav` or `audio/mpeg`. */
	contentType: string;
}

/** What a caller of `fetchMedia` accepts; the adapter refuses anything else before storing a byte. */
export interface MediaLimits {
	/** Largest body accepted, in bytes. */
	maxBytes: number;
	/** Whether a served media type (`image/jpeg`, lowercase, no parameters) is accepted. */
	accept(contentType: string): boolean;
	/** The accepted types in words, for the refusal's message. */
	acceptedDescription: string;
	/** Give up on one request after this long (default 30 s). */
	timeoutMs?: number;
	/** What is fetched, plural, for refusals (default: MMS media). */
	label?: string;
}

export interface ClientTokenInput {
	/** The softphone identity that `client:<identity>` dials reach: letters, digits and underscore, at most 256. */
	identity: string;
	/** Lifetime in seconds, 60 to 86400. */
	ttlSeconds: number;
}

export interface ClientToken {
	token: string;
	identity: string;
	expiresAt: Date;
}

/** A party dialled into a conference (Twilio: `conferences(name).participants.create`). */
export interface AddParticipantInput {
	/** Caller ID: a number the account owns, or `client:<identity>` when dialling a softphone. */
	from: string;
	/** E.164 number or `client:<identity>`. */
	to: string;
	/** A name for the participant, unique in the conference (`customer`, `agent:<userId>`, ...). */
	label?: string;
	earlyMedia?: boolean;
	beep?: 'true' | 'false' | 'onEnter' | 'onExit';
	startConferenceOnEnter?: boolean;
	endConferenceOnExit?: boolean;
	muted?: boolean;
	/** Join as a coach heard only by `callSidToCoach` (whisper). */
	coaching?: boolean;
	callSidToCoach?: string;
	/** Seconds to ring before giving up (carrier default 60). */
	timeoutSeconds?: number;
	/** The new leg's progress events. */
	statusCallback?: string;
	statusCallbackEvent?: CallProgressEvent[];
	/** The conference's events, if this participant is the one that creates it. */
	conferenceStatusCallback?: string;
	conferenceStatusCallbackEvent?: string[];
	conferenceRecord?: 'record-from-start' | 'do-not-record';
	record?: boolean;
	/** Heard while the conference has not started; '' is silence. */
	waitUrl?: string;
}

/** Change a participant: hold (hearing `holdUrl`), mute, coach, announce to it. */
export interface UpdateParticipantInput {
	hold?: boolean;
	/** Music (or TwiML of Play/Say/Pause/Redirect) a held participant hears; Twilio requests it with `holdMethod` (default GET). */
	holdUrl?: string;
	holdMethod?: 'GET' | 'POST';
	muted?: boolean;
	coaching?: boolean;
	callSidToCoach?: string;
	announceUrl?: string;
	endConferenceOnExit?: boolean;
}

export interface TelephonyPort {
	/** Which adapter this is, for logs and diagnostics. */
	readonly kind: 'twilio' | 'local';

	/** The account SID (`AC...`) webhooks from this carrier carry as `AccountSid`. */
	readonly accountSid: string;

	/**
	 * True when `signature` is the carrier's HMAC-SHA1 of `url` plus the sorted form params,
	 * keyed by the account's auth token. Tries the URL with and without the default port, and
	 * compares in constant time. A missing or empty signature is false.
	 */
	validateWebhook(request: WebhookRequest): boolean;

	/**
	 * True when the signature covers the URL (which must carry `bodySHA256`) and the raw body's
	 * SHA-256 matches that `bodySHA256`.
	 */
	validateJsonWebhook(request: JsonWebhookRequest): boolean;

	/**
	 * The `X-Twilio-Signature` the carrier would send for this URL and form params (pass
	 * `params: {}` for a JSON webhook whose URL carries `bodySHA256`). The local carrier signs
	 * its webhooks with it; tests use it to build valid requests.
	 */
	signWebhook(request: { url: string; params: Record<string, string | string[]> }): string;

	/** Send an SMS or MMS; resolves once the carrier accepted it (usually `queued`). */
	sendMessage(input: SendMessageInput): Promise<MessageRef>;

	/** Place an outbound call; resolves once the carrier accepted it (usually `queued`). */
	createCall(input: CreateCallInput): Promise<CallRef>;

	/**
	 * Redirect a live call to new TwiML or end it. Redirecting a call that has already ended
	 * fails with AdapterError vendorCode 21220.
	 */
	updateCall(sid: string, input: UpdateCallInput): Promise<CallRef>;

	/**
	 * Pause or resume the recording running on a live call (the one `<Dial record>` started on
	 * the caller's leg). A call with no recording in progress fails with AdapterError `notFound`.
	 */
	updateCallRecording(callSid: string, input: UpdateCallRecordingInput): Promise<CallRecordingRef>;

	/** Read a message back as the carrier holds it now; unknown SIDs fail with AdapterError `notFound`. */
	fetchMessage(sid: string): Promise<MessageRecord>;

	/** Read a call back as the carrier holds it now; unknown SIDs fail with AdapterError `notFound`. */
	fetchCall(sid: string): Promise<CallRecord>;

	/**
	 * Download a recording's audio from a `RecordingUrl` the carrier sent, authenticating with
	 * the account's credentials. Only the carrier's own API origin is accepted, so credentials
	 * never go to another host; from there on it follows fetchMedia's policy (each redirect
	 * checked, a size cap: `limits`, by default RECORDING_LIMITS in media.ts). Append `.mp3` or
	 * `.wav` to the URL to pick the format.
	 */
	fetchRecording(url: string, limits?: MediaLimits): Promise<RecordingMedia>;

	/**
	 * Download one inbound MMS media file from a `MediaUrl{N}` the carrier sent. Only the
	 * carrier's media hosts are asked (Twilio: api.twilio.com and *.twiliocdn.com over HTTPS; the
	 * local carrier: its own origin), each redirect is checked against the same list, and the
	 * account's Basic credentials go to the API origin only. Fails with a non-retryable
	 * AdapterError for another host, a refused type or a body over `limits.maxBytes`; 429/5xx and
	 * network failures are retryable.
	 */
	fetchMedia(url: string, limits: MediaLimits): Promise<RecordingMedia>;

	/**
	 * Delete the carrier's copy of a recording (Twilio keeps it until deleted) once it is in our
	 * archive, so personal data is not kept in two places. A recording the carrier no longer has
	 * is not an error.
	 */
	deleteRecording(recordingSid: string): Promise<void>;

	/**
	 * Delete the carrier's copy of one inbound MMS media file, named by the `MediaUrl{N}` it sent
	 * (Twilio: `DELETE .../Messages/{MM}/Media/{ME}.json`). Only this account's media URLs are
	 * accepted; a file the carrier no longer has is not an error.
	 */
	deleteMedia(mediaUrl: string): Promise<void>;

	/**
	 * Mint a short-lived token for a browser softphone: it may receive calls to
	 * `client:<identity>` and place calls through the account's voice application.
	 */
	createClientToken(input: ClientTokenInput): Promise<ClientToken>;

	/**
	 * Dial a party into a conference (named by friendly name or `CF...` SID; created if it does
	 * not exist yet). Resolves once the carrier accepted the leg, before it is answered.
	 */
	addConferenceParticipant(conference: string, input: AddParticipantInput): Promise<{ callSid: string; conferenceSid: string }>;

	/**
	 * Hold, mute or coach a participant. Coaching a held participant fails with vendorCode 16025;
	 * an unknown conference or participant fails with AdapterError status 404.
	 */
	updateConferenceParticipant(conferenceSid: string, callSid: string, input: UpdateParticipantInput): Promise<void>;

	/** Take a participant out of a conference (its leg ends); one already gone is not an error. */
	removeConferenceParticipant(conferenceSid: string, callSid: string): Promise<void>;

	/** End a conference and every leg in it; one already over is not an error. */
	endConference(conferenceSid: string): Promise<void>;
}
