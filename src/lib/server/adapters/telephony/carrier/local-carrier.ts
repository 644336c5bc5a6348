/**
 * The telephony twin: an in-memory carrier that keeps Twilio's facts (SID formats, status
 * order, error codes, signatures) so domain code runs unchanged on a machine with no account.
 *
 * `LocalCarrier` is the carrier itself; the carrier issue deepens it (webhook delivery, TwiML
 * runtime, agent devices). It moves statuses only when told (`advanceMessage`, `advanceCall`)
 * and emits an event per change carrying the signed status callback Twilio would send, so a
 * deliverer can POST it unchanged. `LocalTelephony` (local-telephony.ts) is the port adapter
 * over it: the production TwilioTelephony, its official client served by this carrier's REST.
 *
 * Softphone tokens: the carrier mints real Twilio AccessToken JWTs (HS256, header
 * `cty: twilio-fpa;v=1`, VoiceGrant with incoming allowed and an outgoing application), signed
 * with the local auth token under a key SID derived from the account SID. The local device
 * channel checks them with `verifyClientToken`: signature, issuer, subject and expiry.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import twilio from 'twilio';
import { AdapterError } from '../../errors';
import { carrierError, resourceNotFound } from './carrier-error';
import type {
	CallDirection,
	CallProgressEvent,
	CallRecordingRef,
	CallStatus,
	ClientToken,
	ClientTokenInput,
	CreateCallInput,
	JsonWebhookRequest,
	MessageDirection,
	MessageStatus,
	RecordingMedia,
	SendMessageInput,
	UpdateCallInput,
	UpdateCallRecordingInput,
	WebhookRequest
} from '../port';
import { assertClientTokenInput, signWebhook, validateJsonWebhookSignature, validateWebhookSignature } from '../shared';
import { callParams } from './params';
import type { CallInstructions, LocalCall, LocalCarrierEvents, LocalCarrierOptions, LocalMedia, LocalMessage, LocalRecording, SignedCallback, VerifiedClientToken } from './records';
import { basicAuthorization } from '../media';
import { ACCOUNT_SID, E164, E164_SOURCE, sidPattern, sidSource } from '../../../../phone-rules';
import { SMS_BODY_MAX } from '../../../../sms/limits';

const API_VERSION = '2010-04-01';
const CALL_PARTY = new RegExp(String.raw`^(${E164_SOURCE}|client:[^\s]{1,256}|sip:\S+)$`);
const MESSAGING_SERVICE_SID = sidPattern('MG');
const MEDIA_PATH = new RegExp(`^/${API_VERSION}/Accounts/(${sidSource('AC')})/Messages/(${sidSource('MM')})/Media/(${sidSource('ME')})$`);

export type * from './records';

const MESSAGE_FLOW: MessageStatus[] = ['queued', 'sending', 'sent', 'delivered'];
const MESSAGE_FINAL = new Set<MessageStatus>(['delivered', 'undelivered', 'failed', 'received', 'read', 'canceled']);
const CALL_FLOW: CallStatus[] = ['queued', 'initiated', 'ringing', 'in-progress', 'completed'];
const CALL_FINAL = new Set<CallStatus>(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
const NOT_ANSWERED = new Set<CallStatus>(['queued', 'initiated', 'ringing']);

function sid(prefix: string): string {
	return prefix + randomBytes(16).toString('hex');
}

/** Twilio's RFC 2822 timestamp: `Wed, 18 Aug 2010 20:01:40 +0000`. */
export function rfc2822(date: Date): string {
	return date.toUTCString().replace(/GMT$/, '+0000');
}

/** Which requested progress event a status change answers to, if any. */
function progressEvent(status: CallStatus): CallProgressEvent | null {
	if (status === 'initiated' || status === 'ringing') return status;
	if (status === 'in-progress') return 'answered';
	return CALL_FINAL.has(status) ? 'completed' : null;
}

export class LocalCarrier extends EventEmitter<LocalCarrierEvents> {
	readonly accountSid: string;
	readonly apiBaseUrl: string;
	readonly messages = new Map<string, LocalMessage>();
	readonly calls = new Map<string, LocalCall>();
	readonly recordings = new Map<string, LocalRecording>();
	/** MMS media phones sent, by ME sid. */
	readonly media = new Map<string, LocalMedia>();
	/** Sender/recipient pairs blocked by a STOP keyword (`${sender}|${recipient}`), as Twilio keeps them. */
	readonly optOuts = new Set<string>();
	readonly #authToken: string;
	readonly #now: () => Date;

	constructor(options: LocalCarrierOptions) {
		super();
		if (!ACCOUNT_SID.test(options.accountSid)) throw new Error('LocalCarrier needs an account SID: AC followed by 32 hex digits');
		if (!options.authToken) throw new Error('LocalCarrier needs an auth token to sign webhooks');
		this.accountSid = options.accountSid;
		this.#authToken = options.authToken;
		this.apiBaseUrl = options.apiBaseUrl.replace(/\/+$/, '');
		this.#now = options.now ?? (() => new Date());
	}

	/** The key SID local softphone tokens are issued under (Twilio's `iss`). */
	get tokenKeySid(): string {
		return `SK${createHash('sha256').update(`switchboard-local-key:${this.accountSid}`).digest('hex').slice(0, 32)}`;
	}

	/** The stand-in for the TwiML App SID local softphone tokens grant outgoing calls through. */
	get applicationSid(): string {
		return `AP${createHash('sha256').update(`switchboard-local-app:${this.accountSid}`).digest('hex').slice(0, 32)}`;
	}

	/**
	 * What the production adapter needs to be this carrier's client: the account, the auth token
	 * that signs webhooks, and the key SID and secret REST Basic auth accepts (checkCredentials).
	 */
	clientSettings(): { accountSid: string; authToken: string; apiKeySid: string; apiKeySecret: string; twimlAppSid: string; apiBaseUrl: string } {
		return {
			accountSid: this.accountSid,
			authToken: this.#authToken,
			apiKeySid: this.tokenKeySid,
			apiKeySecret: this.#authToken,
			twimlAppSid: this.applicationSid,
			apiBaseUrl: this.apiBaseUrl
		};
	}

	// --- signatures ---------------------------------------------------------------------------

	sign(url: string, params: Record<string, string | string[]>): string {
		return signWebhook(this.#authToken, url, params);
	}

	validate(request: WebhookRequest): boolean {
		return validateWebhookSignature(this.#authToken, request);
	}

	validateJson(request: JsonWebhookRequest): boolean {
		return validateJsonWebhookSignature(this.#authToken, request);
	}

	/** A GET callback carries its fields in the query string, and its signature covers that URL alone. */
	#signed(url: string, params: Record<string, string>, method: 'GET' | 'POST' = 'POST'): SignedCallback {
		if (method === 'POST') return { url, method, params, signature: this.sign(url, params) };
		const full = new URL(url);
		for (const [k, v] of Object.entries(params)) full.searchParams.append(k, v);
		return { url, method, params, signature: this.sign(full.toString(), {}) };
	}

	// --- messages -----------------------------------------------------------------------------

	sendMessage(input: SendMessageInput, options: { direction?: MessageDirection } = {}): LocalMessage {
		if (!E164.test(input.to)) throw carrierError(`The 'To' number ${input.to} is not a valid phone number.`, 400, 21211);
		if (!E164.test(input.from) && !MESSAGING_SERVICE_SID.test(input.from)) {
			throw carrierError(`The 'From' number ${input.from} is not a valid phone number or Messaging Service SID.`, 400, 21212);
		}
		const media = input.mediaUrls ?? [];
		if (!input.body && media.length === 0) throw carrierError('Message body is required.', 400, 21602);
		if (input.body.length > SMS_BODY_MAX) throw carrierError(`The concatenated message body exceeds the ${SMS_BODY_MAX} character limit.`, 400, 21617);
		if (media.length > 10) throw carrierError('The number of media files exceeds the limit of 10.', 400, 21623);
		if (this.optOuts.has(`${input.from}|${input.to}`)) {
			throw carrierError(`Attempt to send to unsubscribed recipient: ${input.to} replied STOP to ${input.from}.`, 400, 21610);
		}
		const message: LocalMessage = {
			sid: sid(media.length ? 'MM' : 'SM'),
			status: 'queued',
			accountSid: this.accountSid,
			from: input.from,
			to: input.to,
			body: input.body,
			direction: options.direction ?? 'outbound-api',
			numMedia: media.length,
			numSegments: Math.max(1, Math.ceil(input.body.length / 153)),
			errorCode: null,
			errorMessage: null,
			dateCreated: this.#now(),
			dateSent: null,
			mediaUrls: [...media],
			statusCallback: input.statusCallback ?? null
		};
		this.messages.set(message.sid, message);
		this.emit('message', structuredClone(message));
		return structuredClone(message);
	}

	/**
	 * Move a message on: to the next status of queued, sending, sent, delivered, or to `to`
	 * (`failed`/`undelivered` take an error code, 30003 unreachable by default).
	 */
	advanceMessage(messageSid: string, to?: MessageStatus, errorCode = 30003): LocalMessage {
		const message = this.#message(messageSid);
		if (MESSAGE_FINAL.has(message.status)) {
			throw carrierError(`Message ${messageSid} is already ${message.status}.`, 400, 30001);
		}
		const next = to ?? MESSAGE_FLOW[MESSAGE_FLOW.indexOf(message.status) + 1];
		if (!next) throw carrierError(`Message ${messageSid} has no status after ${message.status}.`, 400, 30001);
		message.status = next;
		if (next === 'sent' || next === 'delivered') message.dateSent ??= this.#now();
		if (next === 'failed' || next === 'undelivered') {
			message.errorCode = errorCode;
			message.errorMessage = errorCode === 30003 ? 'Unreachable destination handset' : `Delivery failed (${errorCode})`;
		}
		const callback = message.statusCallback
			? this.#signed(message.statusCallback, {
					AccountSid: this.accountSid,
					ApiVersion: API_VERSION,
					From: message.from,
					MessageSid: message.sid,
					MessageStatus: message.status,
					SmsSid: message.sid,
					SmsStatus: message.status,
					To: message.to,
					...(message.errorCode !== null ? { ErrorCode: String(message.errorCode) } : {})
				})
			: null;
		this.emit('message-status', structuredClone(message), callback);
		return structuredClone(message);
	}

	/** A message from a phone to an owned number: stored as `inbound`/`received`, no status callbacks. */
	receiveMessage(input: {
		from: string;
		to: string;
		body: string;
		mediaUrls?: string[];
		/** Files the phone attached: kept by the carrier and sent as MediaUrls on its own origin, as Twilio does. */
		attachments?: { body: Uint8Array; contentType: string }[];
	}): LocalMessage {
		const attachments = input.attachments ?? [];
		const messageSid = sid(attachments.length || input.mediaUrls?.length ? 'MM' : 'SM');
		const hosted = attachments.map((a) => {
			const mediaSid = sid('ME');
			const url = `${this.apiBaseUrl}/${API_VERSION}/Accounts/${this.accountSid}/Messages/${messageSid}/Media/${mediaSid}`;
			this.media.set(mediaSid, { sid: mediaSid, messageSid, url, body: a.body.slice(), contentType: a.contentType });
			return url;
		});
		const media = [...hosted, ...(input.mediaUrls ?? [])].slice(0, 10);
		const message: LocalMessage = {
			sid: messageSid,
			status: 'received',
			accountSid: this.accountSid,
			from: input.from,
			to: input.to,
			body: input.body.slice(0, SMS_BODY_MAX),
			direction: 'inbound',
			numMedia: media.length,
			numSegments: Math.max(1, Math.ceil(input.body.length / 153)),
			errorCode: null,
			errorMessage: null,
			dateCreated: this.#now(),
			dateSent: this.#now(),
			mediaUrls: [...media],
			mediaContentTypes: media.map((_, n) => attachments[n]?.contentType ?? null),
			statusCallback: null
		};
		this.messages.set(message.sid, message);
		return structuredClone(message);
	}

	fetchMessage(messageSid: string): LocalMessage {
		return structuredClone(this.#message(messageSid));
	}

	#message(messageSid: string): LocalMessage {
		return this.#stored(this.messages, 'Messages', messageSid);
	}

	/** A message or call the account holds, or Twilio's 20404 naming its REST path. */
	#stored<T>(records: Map<string, T>, collection: 'Messages' | 'Calls', sid: string): T {
		const record = records.get(sid);
		if (!record) throw resourceNotFound(`/${API_VERSION}/Accounts/${this.accountSid}/${collection}/${sid}.json`);
		return record;
	}

	// --- calls --------------------------------------------------------------------------------

	/**
	 * Whether a call to a phone number may show `from` (set by the carrier engine: a number the
	 * account owns). Null: any caller ID passes, as for a carrier without numbers of its own.
	 */
	callerIdAllowed: ((from: string) => boolean) | null = null;

	createCall(input: CreateCallInput): LocalCall {
		if (!CALL_PARTY.test(input.to)) throw carrierError(`The 'To' ${input.to} is not a valid phone number, client or SIP address.`, 400, 21211);
		if (!CALL_PARTY.test(input.from)) throw carrierError(`The 'From' ${input.from} is not a valid phone number or client.`, 400, 21212);
		if (E164.test(input.to) && this.callerIdAllowed && !this.callerIdAllowed(input.from)) {
			throw carrierError(`The source phone number provided, ${input.from}, is not yet verified for your account. You may only make calls from phone numbers that you've verified or purchased from Twilio.`, 400, 21210);
		}
		const instructions: CallInstructions =
			input.twiml !== undefined ? { twiml: input.twiml } : { url: input.url, method: input.method ?? 'POST' };
		if ('url' in instructions && !/^https?:\/\//.test(instructions.url)) {
			throw carrierError(`Url ${instructions.url} is not a valid URL.`, 400, 21205);
		}
		const call: LocalCall = {
			sid: sid('CA'),
			status: 'queued',
			accountSid: this.accountSid,
			from: input.from,
			to: input.to,
			direction: 'outbound-api' satisfies CallDirection,
			parentCallSid: null,
			durationSeconds: null,
			startTime: null,
			endTime: null,
			dateCreated: this.#now(),
			instructions,
			statusCallback: input.statusCallback ?? null,
			statusCallbackMethod: input.statusCallbackMethod ?? 'POST',
			statusCallbackEvent: input.statusCallbackEvent?.length ? [...input.statusCallbackEvent] : ['completed'],
			record: input.record ?? false,
			timeoutSeconds: input.timeoutSeconds ?? 60,
			sequence: 0
		};
		this.calls.set(call.sid, call);
		this.emit('call', structuredClone(call));
		return structuredClone(call);
	}

	/**
	 * Move a call on: to the next status of queued, initiated, ringing, in-progress, completed,
	 * or to `to` (busy, no-answer, failed, canceled end a call that was not answered).
	 */
	advanceCall(callSid: string, to?: CallStatus): LocalCall {
		const call = this.#call(callSid);
		if (CALL_FINAL.has(call.status)) throw carrierError(`Call ${callSid} has already ended (${call.status}).`, 400, 21220);
		const next = to ?? CALL_FLOW[CALL_FLOW.indexOf(call.status) + 1];
		if (!next) throw carrierError(`Call ${callSid} has no status after ${call.status}.`, 400, 21220);
		if ((next === 'busy' || next === 'no-answer' || next === 'canceled') && !NOT_ANSWERED.has(call.status)) {
			throw carrierError(`Call ${callSid} was answered; it cannot become ${next}.`, 400, 21220);
		}
		return this.#setCallStatus(call, next);
	}

	updateCall(callSid: string, input: UpdateCallInput): LocalCall {
		const call = this.#call(callSid);
		if (CALL_FINAL.has(call.status)) throw carrierError('Call is not in-progress. Cannot redirect.', 400, 21220);
		if ('status' in input) {
			if (input.status === 'canceled' && !NOT_ANSWERED.has(call.status)) return structuredClone(call);
			return this.#setCallStatus(call, input.status);
		}
		call.instructions = 'twiml' in input ? { twiml: input.twiml } : { url: input.url, method: input.method ?? 'POST' };
		this.emit('call-redirect', structuredClone(call));
		return structuredClone(call);
	}

	fetchCall(callSid: string): LocalCall {
		return structuredClone(this.#call(callSid));
	}

	#call(callSid: string): LocalCall {
		return this.#stored(this.calls, 'Calls', callSid);
	}

	#setCallStatus(call: LocalCall, status: CallStatus, extra: Record<string, string> = {}): LocalCall {
		const now = this.#now();
		if (status === 'in-progress') call.startTime ??= now;
		call.status = status;
		if (CALL_FINAL.has(status)) {
			call.endTime = now;
			call.durationSeconds = call.startTime ? Math.round((now.getTime() - call.startTime.getTime()) / 1000) : 0;
		}
		const event = progressEvent(status);
		let callback: SignedCallback | null = null;
		if (call.statusCallback && event && call.statusCallbackEvent.includes(event)) {
			callback = this.#signed(call.statusCallback, {
				...callParams(call),
				CallbackSource: 'call-progress-events',
				SequenceNumber: String(call.sequence++),
				Timestamp: rfc2822(now),
				...(CALL_FINAL.has(status) ? { CallDuration: String(call.durationSeconds ?? 0) } : {}),
				...extra
			}, call.statusCallbackMethod);
		}
		this.emit('call-status', structuredClone(call), callback);
		return structuredClone(call);
	}

	/**
	 * Open a call leg the network started rather than the REST API: an inbound call to an owned
	 * number (`inbound`) or a leg a <Dial> rings (`outbound-dial`, with its parent). No `call`
	 * event: the carrier engine that opens the leg also runs it.
	 */
	openLeg(input: {
		from: string;
		to: string;
		direction: CallDirection;
		status: 'queued' | 'ringing';
		parentCallSid?: string;
		statusCallback?: string | null;
		statusCallbackMethod?: 'GET' | 'POST';
		statusCallbackEvent?: CallProgressEvent[];
		instructions?: CallInstructions;
		timeoutSeconds?: number;
		applicationSid?: string;
	}): LocalCall {
		const call: LocalCall = {
			sid: sid('CA'),
			status: input.status,
			accountSid: this.accountSid,
			from: input.from,
			to: input.to,
			direction: input.direction,
			parentCallSid: input.parentCallSid ?? null,
			durationSeconds: null,
			startTime: null,
			endTime: null,
			dateCreated: this.#now(),
			instructions: input.instructions ?? { twiml: '<Response/>' },
			statusCallback: input.statusCallback ?? null,
			statusCallbackMethod: input.statusCallbackMethod ?? 'POST',
			statusCallbackEvent: input.statusCallbackEvent?.length ? [...input.statusCallbackEvent] : ['completed'],
			record: false,
			timeoutSeconds: input.timeoutSeconds ?? 60,
			sequence: 0,
			applicationSid: input.applicationSid ?? null
		};
		this.calls.set(call.sid, call);
		return structuredClone(call);
	}

	/** Like advanceCall, with extra fields for the status callback (RecordingUrl on completed). */
	advanceCallWith(callSid: string, to: CallStatus, extra: Record<string, string>): LocalCall {
		const call = this.#call(callSid);
		if (CALL_FINAL.has(call.status)) throw carrierError(`Call ${callSid} has already ended (${call.status}).`, 400, 21220);
		return this.#setCallStatus(call, to, extra);
	}

	/** True for the account's own credentials, or the local key SID with the auth token (REST Basic auth). */
	checkCredentials(username: string, password: string): boolean {
		const a = createHash('sha256').update(password).digest();
		const b = createHash('sha256').update(this.#authToken).digest();
		return (username === this.accountSid || username === this.tokenKeySid) && timingSafeEqual(a, b);
	}

	// --- recordings ---------------------------------------------------------------------------

	/** Set by the carrier engine, which runs the recordings of bridged calls. */
	recordingControl: ((callSid: string, recordingSid: string, input: UpdateCallRecordingInput) => CallRecordingRef) | null = null;

	/** Pause or resume a live call's recording (`recordingSid` may be `Twilio.CURRENT`). */
	updateCallRecording(callSid: string, recordingSid: string, input: UpdateCallRecordingInput): CallRecordingRef {
		if (!this.recordingControl) throw resourceNotFound(`/Calls/${callSid}/Recordings/${recordingSid}`);
		return this.recordingControl(callSid, recordingSid, input);
	}

	/** Keep audio as a recording and return its SID and the RecordingUrl webhooks carry. */
	addRecording(input: {
		callSid?: string;
		body: Uint8Array;
		contentType?: string;
		durationSeconds?: number;
		channels?: 1 | 2;
		source?: string;
		/** A SID handed out while the recording ran (pause/resume refer to it). */
		sid?: string;
	}): LocalRecording {
		const recordingSid = input.sid ?? sid('RE');
		const recording: LocalRecording = {
			sid: recordingSid,
			accountSid: this.accountSid,
			callSid: input.callSid ?? null,
			url: `${this.apiBaseUrl}/${API_VERSION}/Accounts/${this.accountSid}/Recordings/${recordingSid}`,
			body: input.body,
			contentType: input.contentType ?? 'audio/x-wav',
			durationSeconds: input.durationSeconds ?? 0,
			channels: input.channels ?? 1,
			source: input.source ?? 'RecordVerb',
			dateCreated: this.#now()
		};
		this.recordings.set(recordingSid, recording);
		return recording;
	}

	fetchRecording(url: string): RecordingMedia {
		const prefix = `${this.apiBaseUrl}/${API_VERSION}/Accounts/${this.accountSid}/Recordings/`;
		if (!url.startsWith(prefix)) {
			throw new AdapterError(`Refusing to fetch ${url}: recordings are fetched only from ${prefix}`, {
				port: 'telephony',
				adapter: 'local',
				retryable: false
			});
		}
		const recordingSid = url.slice(prefix.length).replace(/\.(wav|mp3)$/, '');
		const recording = this.recordings.get(recordingSid);
		if (!recording) throw resourceNotFound(url);
		return { body: recording.body.slice(), contentType: recording.contentType };
	}

	/** A media file by its URL path below the API base (`/2010-04-01/Accounts/AC.../Messages/MM.../Media/ME...`). */
	mediaAt(path: string): LocalMedia | null {
		const m = MEDIA_PATH.exec(path);
		if (!m || m[1] !== this.accountSid) return null;
		const media = this.media.get(m[3] ?? '');
		return media && media.messageSid === m[2] ? media : null;
	}

	/** The Basic credentials Switchboard fetches this carrier's media with (the account SID and auth token). */
	restAuthorization(): string {
		return basicAuthorization(this.accountSid, this.#authToken);
	}

	// --- softphone tokens ---------------------------------------------------------------------

	mintClientToken(input: ClientTokenInput): ClientToken {
		assertClientTokenInput(input);
		const { AccessToken } = twilio.jwt;
		const token = new AccessToken(this.accountSid, this.tokenKeySid, this.#authToken, {
			identity: input.identity,
			ttl: input.ttlSeconds
		});
		token.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: this.applicationSid, incomingAllow: true }));
		const issuedAt = Math.floor(this.#now().getTime() / 1000);
		return { token: token.toJwt(), identity: input.identity, expiresAt: new Date((issuedAt + input.ttlSeconds) * 1000) };
	}

	/** Check a softphone token this carrier minted; null when forged, for another account, or expired. */
	verifyClientToken(token: string): VerifiedClientToken | null {
		const [header, payload, signature, ...rest] = token.split('.');
		if (!header || !payload || !signature || rest.length) return null;
		const expected = createHmac('sha256', this.#authToken).update(`${header}.${payload}`).digest();
		const given = Buffer.from(signature, 'base64url');
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
		let claims: {
			iss?: unknown;
			sub?: unknown;
			exp?: unknown;
			grants?: { identity?: unknown; voice?: { incoming?: { allow?: unknown }; outgoing?: { application_sid?: unknown } } };
		};
		try {
			const head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
			if (head.alg !== 'HS256') return null;
			claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
		} catch {
			return null;
		}
		if (claims.iss !== this.tokenKeySid || claims.sub !== this.accountSid) return null;
		if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.#now().getTime()) return null;
		const identity = claims.grants?.identity;
		if (typeof identity !== 'string') return null;
		const app = claims.grants?.voice?.outgoing?.application_sid;
		return {
			identity,
			expiresAt: new Date(claims.exp * 1000),
			outgoingApplicationSid: typeof app === 'string' ? app : null,
			incomingAllow: claims.grants?.voice?.incoming?.allow === true
		};
	}
}
