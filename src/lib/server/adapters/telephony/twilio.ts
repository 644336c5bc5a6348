/**
 * The production telephony adapter over the official `twilio` client. REST calls authenticate
 * with the API key (revocable, unlike the auth token); the auth token only signs and checks
 * webhooks. With `apiBaseUrl` set, a custom httpClient sends every api.twilio.com request to
 * that origin instead, which is how the local carrier serves the same client. Local mode runs
 * this very class (LocalTelephony in carrier/local-telephony.ts) with a transport that hands those
 * requests to the carrier's REST handler in-process.
 */
import twilio from 'twilio';
import type { CallInstance } from 'twilio/lib/rest/api/v2010/account/call';
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message';
import type { Config } from '../../env';
import { AdapterError } from '../errors';
import type {
	AddParticipantInput,
	CallDirection,
	CallRecord,
	CallRecordingRef,
	CallRef,
	ClientToken,
	ClientTokenInput,
	CreateCallInput,
	JsonWebhookRequest,
	MediaLimits,
	MessageRecord,
	MessageRef,
	RecordingMedia,
	SendMessageInput,
	TelephonyPort,
	UpdateCallInput,
	UpdateCallRecordingInput,
	UpdateParticipantInput,
	WebhookRequest
} from './port';
import {
	TWILIO_API_ORIGIN,
	assertClientTokenInput,
	isTwilioApiUrl,
	rebaseTwilioUrl,
	signWebhook,
	validateJsonWebhookSignature,
	validateWebhookSignature
} from './shared';
import { basicAuthorization, fetchCarrierMedia, RECORDING_LIMITS, type MediaHostPolicy } from './media';
import { provisionNumbers, type ProvisionInput, type ProvisionReport } from './provision';
import { errorMessage } from '../../../errors';
import { sidPattern, sidSource } from '../../../phone-rules';

/**
 * Without "Enforce HTTP Auth on Media URLs" (and for media older than that setting) Twilio
 * redirects MediaUrl to this public storage host, which needs no credentials; with it, to
 * mms.twiliocdn.com. Accepted only as a redirect target, never as the MediaUrl itself.
 */
export const UNSECURED_MEDIA_HOST = 's3-external-1.amazonaws.com';

export type TwilioTelephonyConfig = Omit<Extract<Config['telephony'], { adapter: 'twilio' }>, 'adapter'>;

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/** How requests leave the adapter; the defaults are the network. */
export interface TwilioTransport {
	/** The twilio client's `httpClient` (default: a RebasingRequestClient when `apiBaseUrl` is set, else twilio's own). */
	httpClient?: InstanceType<typeof twilio.RequestClient>;
	/** Downloads recordings (default: the global fetch). */
	fetch?: typeof fetch;
}

/** Twilio's supported `httpClient` hook: the stock client, with api.twilio.com swapped for `baseUrl`. */
export class RebasingRequestClient extends twilio.RequestClient {
	readonly baseUrl: string;

	constructor(baseUrl: string) {
		super();
		this.baseUrl = baseUrl.replace(/\/+$/, '');
	}

	override request<TData>(opts: RequestOptions & { data?: TData }) {
		return super.request<TData>({ ...opts, uri: rebaseTwilioUrl(opts.uri, this.baseUrl) });
	}
}

function asDate(value: unknown): Date | null {
	return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}

function toMessageRecord(m: MessageInstance): MessageRecord {
	return {
		sid: m.sid,
		status: m.status,
		accountSid: m.accountSid,
		from: m.from,
		to: m.to,
		body: m.body ?? '',
		direction: m.direction,
		numMedia: Number(m.numMedia ?? 0),
		numSegments: Number(m.numSegments ?? 0),
		errorCode: m.errorCode ?? null,
		errorMessage: m.errorMessage ?? null,
		dateCreated: asDate(m.dateCreated) ?? new Date(),
		dateSent: asDate(m.dateSent)
	};
}

function toCallRecord(c: CallInstance): CallRecord {
	return {
		sid: c.sid,
		status: c.status,
		accountSid: c.accountSid,
		from: c.from,
		to: c.to,
		direction: c.direction as CallDirection,
		parentCallSid: c.parentCallSid ?? null,
		durationSeconds: c.duration === null || c.duration === undefined ? null : Number(c.duration),
		startTime: asDate(c.startTime),
		endTime: asDate(c.endTime),
		dateCreated: asDate(c.dateCreated) ?? new Date()
	};
}

function failure(err: unknown, action: string, adapter: TelephonyPort['kind']): AdapterError {
	const vendor = adapter === 'local' ? 'The local carrier' : 'Twilio';
	if (err instanceof twilio.RestException) {
		return new AdapterError(`${vendor} refused to ${action}: ${err.message}${err.code ? ` (error ${err.code})` : ''}`, {
			port: 'telephony',
			adapter,
			status: err.status,
			vendorCode: err.code,
			cause: err
		});
	}
	const reason = errorMessage(err);
	return new AdapterError(`${vendor} could not be reached to ${action}: ${reason}`, {
		port: 'telephony',
		adapter,
		retryable: true,
		cause: err
	});
}

export class TwilioTelephony implements TelephonyPort {
	readonly kind: TelephonyPort['kind'] = 'twilio';
	readonly accountSid: string;
	readonly #config: TwilioTelephonyConfig;
	readonly #client: twilio.Twilio;
	/** Where REST requests really go when the base URL is overridden (origin plus optional path prefix). */
	readonly #apiBase: string | undefined;
	readonly #fetch: typeof fetch;

	constructor(config: TwilioTelephonyConfig, transport: TwilioTransport = {}) {
		this.#config = config;
		this.accountSid = config.accountSid;
		this.#apiBase = config.apiBaseUrl?.replace(/\/+$/, '');
		this.#fetch = transport.fetch ?? ((input, init) => fetch(input, init));
		this.#client = twilio(config.apiKeySid, config.apiKeySecret, {
			accountSid: config.accountSid,
			httpClient: transport.httpClient ?? (config.apiBaseUrl ? new RebasingRequestClient(config.apiBaseUrl) : undefined)
		});
	}

	/** True when REST goes to Twilio itself (no base URL override, not the local carrier). */
	get targetsTwilio(): boolean {
		return this.kind === 'twilio' && this.#apiBase === undefined;
	}

	/**
	 * Point the account's numbers, and the TwiML App of TWILIO_TWIML_APP_SID, at Switchboard's
	 * webhooks (provision.ts): `npm run provision` for Twilio, the start-up of local mode for the carrier.
	 */
	provisionNumbers(input: Omit<ProvisionInput, 'applicationSid'>): Promise<ProvisionReport> {
		return provisionNumbers(
			this.#client,
			{ ...input, applicationSid: this.#config.twimlAppSid || null, checkMessagingServices: this.targetsTwilio },
			this.kind
		);
	}

	validateWebhook(request: WebhookRequest): boolean {
		return validateWebhookSignature(this.#config.authToken, request);
	}

	validateJsonWebhook(request: JsonWebhookRequest): boolean {
		return validateJsonWebhookSignature(this.#config.authToken, request);
	}

	signWebhook(request: { url: string; params: Record<string, string | string[]> }): string {
		return signWebhook(this.#config.authToken, request.url, request.params);
	}

	async sendMessage(input: SendMessageInput): Promise<MessageRef> {
		const sender = input.from.startsWith('MG') ? { messagingServiceSid: input.from } : { from: input.from };
		try {
			const m = await this.#client.messages.create({
				...sender,
				to: input.to,
				body: input.body,
				...(input.mediaUrls?.length ? { mediaUrl: input.mediaUrls } : {}),
				...(input.statusCallback ? { statusCallback: input.statusCallback } : {})
			});
			return { sid: m.sid, status: m.status };
		} catch (err) {
			throw failure(err, 'send the message', this.kind);
		}
	}

	async createCall(input: CreateCallInput): Promise<CallRef> {
		try {
			const c = await this.#client.calls.create({
				from: input.from,
				to: input.to,
				...(input.twiml !== undefined ? { twiml: input.twiml } : { url: input.url, ...(input.method ? { method: input.method } : {}) }),
				...(input.statusCallback ? { statusCallback: input.statusCallback, statusCallbackMethod: input.statusCallbackMethod ?? 'POST' } : {}),
				...(input.statusCallbackEvent?.length ? { statusCallbackEvent: input.statusCallbackEvent } : {}),
				...(input.record !== undefined ? { record: input.record } : {}),
				...(input.timeoutSeconds !== undefined ? { timeout: input.timeoutSeconds } : {})
			});
			return { sid: c.sid, status: c.status };
		} catch (err) {
			throw failure(err, 'place the call', this.kind);
		}
	}

	async updateCall(sid: string, input: UpdateCallInput): Promise<CallRef> {
		try {
			const c = await this.#client.calls(sid).update(input);
			return { sid: c.sid, status: c.status };
		} catch (err) {
			throw failure(err, `update call ${sid}`, this.kind);
		}
	}

	async updateCallRecording(callSid: string, input: UpdateCallRecordingInput): Promise<CallRecordingRef> {
		try {
			const r = await this.#client
				.calls(callSid)
				.recordings('Twilio.CURRENT')
				.update({ status: input.status, ...(input.pauseBehavior ? { pauseBehavior: input.pauseBehavior } : {}) });
			return { sid: r.sid, callSid: r.callSid, status: r.status };
		} catch (err) {
			throw failure(err, `${input.status === 'paused' ? 'pause' : 'resume'} the recording of call ${callSid}`, this.kind);
		}
	}

	async fetchMessage(sid: string): Promise<MessageRecord> {
		try {
			return toMessageRecord(await this.#client.messages(sid).fetch());
		} catch (err) {
			throw failure(err, `fetch message ${sid}`, this.kind);
		}
	}

	async fetchCall(sid: string): Promise<CallRecord> {
		try {
			return toCallRecord(await this.#client.calls(sid).fetch());
		} catch (err) {
			throw failure(err, `fetch call ${sid}`, this.kind);
		}
	}

	/**
	 * Recordings follow the MMS media policy (every redirect hop checked against the carrier's
	 * hosts, credentials to the API only, a size cap), after a stricter first check: credentials
	 * go only to this account's Recordings path.
	 */
	async fetchRecording(url: string, limits: MediaLimits = RECORDING_LIMITS): Promise<RecordingMedia> {
		const path = `/2010-04-01/Accounts/${this.accountSid}/Recordings/`;
		const target = this.#apiBase ? rebaseTwilioUrl(url, this.#apiBase) : url;
		const allowed = this.#apiBase ? target.startsWith(this.#apiBase + path) : isTwilioApiUrl(url) && new URL(url).pathname.startsWith(path);
		if (!allowed) {
			throw new AdapterError(`Refusing to send Twilio credentials to ${url}: recordings are fetched only from ${this.#apiBase ?? TWILIO_API_ORIGIN}${path}`, {
				port: 'telephony',
				adapter: this.kind,
				retryable: false
			});
		}
		return fetchCarrierMedia(this.#mediaHosts(), target, limits);
	}

	fetchMedia(url: string, limits: MediaLimits): Promise<RecordingMedia> {
		return fetchCarrierMedia(this.#mediaHosts(), this.#apiBase ? rebaseTwilioUrl(url, this.#apiBase) : url, limits);
	}

	/** The one host policy for everything downloaded from the carrier (MMS media and recordings). */
	#mediaHosts(): MediaHostPolicy {
		const auth = basicAuthorization(this.#config.apiKeySid, this.#config.apiKeySecret);
		if (this.#apiBase) {
			// A twin or test server stands in for Twilio: its origin is the only media host.
			const origin = new URL(this.#apiBase).origin;
			return {
				adapter: 'twilio',
				allowed: (u) => u.origin === origin,
				describe: origin,
				authorization: (u) => (u.origin === origin ? auth : null),
				fetch: this.#fetch
			};
		}
		return {
			adapter: 'twilio',
			allowed: (u, redirected) =>
				u.protocol === 'https:' &&
				u.port === '' &&
				(isTwilioApiUrl(u.href) || u.hostname.endsWith('.twiliocdn.com') || (redirected && u.hostname === UNSECURED_MEDIA_HOST)),
			describe: 'api.twilio.com and *.twiliocdn.com over HTTPS',
			// Credentials go to the API only; the storage hosts it redirects to take signed or public URLs.
			authorization: (u) => (isTwilioApiUrl(u.href) ? auth : null),
			fetch: this.#fetch
		};
	}

	async deleteRecording(recordingSid: string): Promise<void> {
		if (!sidPattern('RE').test(recordingSid)) throw this.#refusal(`${JSON.stringify(recordingSid.slice(0, 40))} is not a recording SID.`);
		try {
			await this.#client.recordings(recordingSid).remove();
		} catch (err) {
			if (err instanceof twilio.RestException && err.status === 404) return;
			throw failure(err, `delete recording ${recordingSid}`, this.kind);
		}
	}

	async deleteMedia(mediaUrl: string): Promise<void> {
		let path = '';
		try {
			path = new URL(mediaUrl).pathname;
		} catch {
			// Refused below like any other URL that names no media of this account.
		}
		const m = new RegExp(String.raw`^(?:/[^/]+)*/2010-04-01/Accounts/(${sidSource('AC')})/Messages/(${sidSource('MM')})/Media/(${sidSource('ME')})(?:\.json)?$`).exec(path);
		if (!m?.[2] || !m[3] || m[1] !== this.accountSid) throw this.#refusal(`${JSON.stringify(mediaUrl.slice(0, 200))} is not a media URL of this account.`);
		try {
			await this.#client.messages(m[2]).media(m[3]).remove();
		} catch (err) {
			if (err instanceof twilio.RestException && err.status === 404) return;
			throw failure(err, `delete media ${m[3]}`, this.kind);
		}
	}

	async addConferenceParticipant(conference: string, input: AddParticipantInput): Promise<{ callSid: string; conferenceSid: string }> {
		const { timeoutSeconds, ...rest } = input;
		try {
			// The client leaves out options that are undefined, so the input passes straight through.
			const p = await this.#client.conferences(conference).participants.create({ ...rest, timeout: timeoutSeconds });
			return { callSid: p.callSid, conferenceSid: p.conferenceSid };
		} catch (err) {
			throw failure(err, `add ${input.to} to conference ${conference}`, this.kind);
		}
	}

	async updateConferenceParticipant(conferenceSid: string, callSid: string, input: UpdateParticipantInput): Promise<void> {
		try {
			await this.#client.conferences(conferenceSid).participants(callSid).update(input);
		} catch (err) {
			throw failure(err, `update participant ${callSid} of conference ${conferenceSid}`, this.kind);
		}
	}

	async removeConferenceParticipant(conferenceSid: string, callSid: string): Promise<void> {
		try {
			await this.#client.conferences(conferenceSid).participants(callSid).remove();
		} catch (err) {
			if (err instanceof twilio.RestException && err.status === 404) return;
			throw failure(err, `remove participant ${callSid} from conference ${conferenceSid}`, this.kind);
		}
	}

	async endConference(conferenceSid: string): Promise<void> {
		try {
			await this.#client.conferences(conferenceSid).update({ status: 'completed' });
		} catch (err) {
			if (err instanceof twilio.RestException && err.status === 404) return;
			throw failure(err, `end conference ${conferenceSid}`, this.kind);
		}
	}

	#refusal(message: string): AdapterError {
		return new AdapterError(message, { port: 'telephony', adapter: this.kind, retryable: false });
	}

	createClientToken(input: ClientTokenInput): Promise<ClientToken> {
		return Promise.resolve().then(() => {
			assertClientTokenInput(input);
			const { AccessToken } = twilio.jwt;
			const token = new AccessToken(this.accountSid, this.#config.apiKeySid, this.#config.apiKeySecret, {
				identity: input.identity,
				ttl: input.ttlSeconds
			});
			token.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: this.#config.twimlAppSid, incomingAllow: true }));
			const issuedAt = Math.floor(Date.now() / 1000);
			return { token: token.toJwt(), identity: input.identity, expiresAt: new Date((issuedAt + input.ttlSeconds) * 1000) };
		});
	}
}
