/**
 * Twilio's REST surface over a LocalCarrier: the 2010-04-01 Messages, Calls and Recordings
 * paths with Twilio's JSON shapes and error bodies. The official client (TwilioTelephony with
 * `apiBaseUrl`) talks to it; the adapter tests use it as their fake Twilio, and the carrier
 * issue mounts it on a real server. Framework-free: a request in, a response out.
 */
import { AdapterError } from '../errors';
import type { LocalCall, LocalCarrier, LocalMessage, LocalRecording } from './local';
import { rfc2822 } from './local';
import type { CallProgressEvent, CreateCallInput, UpdateCallInput } from './port';

export interface RestRequest {
	method: string;
	/** Path below the carrier's base URL, e.g. `/2010-04-01/Accounts/AC.../Messages.json`. */
	path: string;
	/** Form fields (POST body, or the query string on GET). */
	form: URLSearchParams;
	authorization: string | undefined;
}

export interface RestResponse {
	status: number;
	contentType: string;
	body: string | Uint8Array;
}

export interface LocalRestOptions {
	/** Decides whether HTTP Basic credentials (account SID + auth token, or API key + secret) may act. */
	authorize(username: string, password: string): boolean;
	/** Conferences and participants, served when the carrier engine runs. */
	conferences?: ConferenceRest;
	/** IncomingPhoneNumbers and Applications, served when the carrier engine runs. */
	numbers?: NumberRest;
}

type HttpMethod = 'GET' | 'POST';

/** What an operator sets on a number in Twilio's console; an empty URL is unset, as in Twilio. */
export interface NumberSettings {
	friendlyName: string;
	voiceUrl: string;
	voiceMethod: HttpMethod;
	voiceFallbackUrl: string;
	voiceFallbackMethod: HttpMethod;
	statusCallback: string;
	statusCallbackMethod: HttpMethod;
	smsUrl: string;
	smsMethod: HttpMethod;
	smsFallbackUrl: string;
	smsFallbackMethod: HttpMethod;
	/** Set, these make Twilio ignore the number's VoiceUrl/SmsUrl ('' or absent = unset). */
	voiceApplicationSid?: string;
	smsApplicationSid?: string;
	trunkSid?: string;
	/** False for a voice-only number (capabilities.sms and .mms); absent = true. */
	smsCapable?: boolean;
}

export interface PhoneNumberView extends NumberSettings {
	sid: string;
	accountSid: string;
	phoneNumber: string;
	dateCreated: Date;
	dateUpdated: Date;
}

/** The voice side of a TwiML App (what browser-originated calls request). */
export type ApplicationSettings = Pick<
	NumberSettings,
	'friendlyName' | 'voiceUrl' | 'voiceMethod' | 'voiceFallbackUrl' | 'voiceFallbackMethod' | 'statusCallback' | 'statusCallbackMethod'
>;

export interface ApplicationView extends ApplicationSettings {
	sid: string;
	accountSid: string;
	dateCreated: Date;
	dateUpdated: Date;
}

/** What the IncomingPhoneNumbers and Applications paths need from the carrier engine; errors are AdapterErrors with Twilio codes. */
export interface NumberRest {
	listNumbers(filter: { phoneNumber?: string | null; friendlyName?: string | null }): PhoneNumberView[];
	getNumber(sid: string): PhoneNumberView;
	updateNumber(sid: string, update: Partial<NumberSettings>): PhoneNumberView;
	getApplication(sid: string): ApplicationView;
	updateApplication(sid: string, update: Partial<ApplicationSettings>): ApplicationView;
}

export interface ConferenceView {
	sid: string;
	accountSid: string;
	friendlyName: string;
	status: 'init' | 'in-progress' | 'completed';
	dateCreated: Date;
	dateUpdated: Date;
	reasonEnded: string | null;
	callSidEnding: string | null;
}

export interface ParticipantView {
	callSid: string;
	conferenceSid: string;
	accountSid: string;
	label: string | null;
	hold: boolean;
	muted: boolean;
	coaching: boolean;
	callSidToCoach: string | null;
	startConferenceOnEnter: boolean;
	endConferenceOnExit: boolean;
	status: 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';
	dateCreated: Date;
	dateUpdated: Date;
}

export interface ParticipantUpdate {
	hold?: boolean;
	holdUrl?: string;
	holdMethod?: 'GET' | 'POST';
	muted?: boolean;
	coaching?: boolean;
	callSidToCoach?: string;
}

export interface ParticipantInput {
	from: string;
	to: string;
	label?: string;
	muted?: boolean;
	coaching?: boolean;
	callSidToCoach?: string;
	startConferenceOnEnter?: boolean;
	endConferenceOnExit?: boolean;
	statusCallback?: string;
	statusCallbackEvent?: CallProgressEvent[];
	conferenceStatusCallback?: string;
	conferenceStatusCallbackEvent?: string[];
	timeoutSeconds?: number;
}

/** What the conference REST paths need from the carrier engine; errors are AdapterErrors with Twilio codes. */
export interface ConferenceRest {
	listConferences(filter: { friendlyName?: string | null; status?: string | null }): ConferenceView[];
	getConference(sidOrName: string): ConferenceView;
	updateConference(sidOrName: string, update: { status?: string | null }): ConferenceView;
	listParticipants(sidOrName: string): ParticipantView[];
	getParticipant(sidOrName: string, callSid: string): ParticipantView;
	updateParticipant(sidOrName: string, callSid: string, update: ParticipantUpdate): ParticipantView;
	removeParticipant(sidOrName: string, callSid: string): void;
	addParticipant(sidOrName: string, input: ParticipantInput): ParticipantView;
}

const date = (d: Date | null) => (d ? rfc2822(d) : null);

export function messageResource(m: LocalMessage) {
	return {
		account_sid: m.accountSid,
		api_version: '2010-04-01',
		body: m.body,
		date_created: rfc2822(m.dateCreated),
		date_sent: date(m.dateSent),
		date_updated: rfc2822(m.dateSent ?? m.dateCreated),
		direction: m.direction,
		error_code: m.errorCode,
		error_message: m.errorMessage,
		from: m.from,
		messaging_service_sid: null,
		num_media: String(m.numMedia),
		num_segments: String(m.numSegments),
		price: null,
		price_unit: 'USD',
		sid: m.sid,
		status: m.status,
		subresource_uris: { media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
		to: m.to,
		uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`
	};
}

export function recordingResource(r: LocalRecording, apiBaseUrl: string) {
	const uri = `/2010-04-01/Accounts/${r.accountSid}/Recordings/${r.sid}`;
	return {
		account_sid: r.accountSid,
		api_version: '2010-04-01',
		call_sid: r.callSid,
		channels: r.channels,
		conference_sid: null,
		date_created: rfc2822(r.dateCreated),
		date_updated: rfc2822(r.dateCreated),
		duration: String(r.durationSeconds),
		encryption_details: null,
		error_code: null,
		media_url: `${apiBaseUrl}${uri}`,
		price: null,
		price_unit: 'USD',
		sid: r.sid,
		source: r.source,
		start_time: rfc2822(r.dateCreated),
		status: 'completed',
		subresource_uris: { transcriptions: `${uri}/Transcriptions.json` },
		uri: `${uri}.json`
	};
}

export function callResource(c: LocalCall) {
	return {
		account_sid: c.accountSid,
		answered_by: null,
		api_version: '2010-04-01',
		caller_name: null,
		date_created: rfc2822(c.dateCreated),
		date_updated: rfc2822(c.endTime ?? c.startTime ?? c.dateCreated),
		direction: c.direction,
		duration: c.durationSeconds === null ? null : String(c.durationSeconds),
		end_time: date(c.endTime),
		forwarded_from: null,
		from: c.from,
		from_formatted: c.from,
		group_sid: null,
		parent_call_sid: c.parentCallSid,
		phone_number_sid: null,
		price: null,
		price_unit: 'USD',
		sid: c.sid,
		start_time: date(c.startTime),
		status: c.status,
		subresource_uris: { recordings: `/2010-04-01/Accounts/${c.accountSid}/Calls/${c.sid}/Recordings.json` },
		to: c.to,
		to_formatted: c.to,
		trunk_sid: null,
		uri: `/2010-04-01/Accounts/${c.accountSid}/Calls/${c.sid}.json`,
		queue_time: '0'
	};
}

export function conferenceResource(c: ConferenceView) {
	const uri = `/2010-04-01/Accounts/${c.accountSid}/Conferences/${c.sid}`;
	return {
		account_sid: c.accountSid,
		api_version: '2010-04-01',
		call_sid_ending_conference: c.callSidEnding,
		date_created: rfc2822(c.dateCreated),
		date_updated: rfc2822(c.dateUpdated),
		friendly_name: c.friendlyName,
		reason_conference_ended: c.reasonEnded,
		region: 'us1',
		sid: c.sid,
		status: c.status,
		subresource_uris: { participants: `${uri}/Participants.json`, recordings: `${uri}/Recordings.json` },
		uri: `${uri}.json`
	};
}

export function participantResource(p: ParticipantView) {
	return {
		account_sid: p.accountSid,
		call_sid: p.callSid,
		call_sid_to_coach: p.callSidToCoach,
		coaching: p.coaching,
		conference_sid: p.conferenceSid,
		date_created: rfc2822(p.dateCreated),
		date_updated: rfc2822(p.dateUpdated),
		end_conference_on_exit: p.endConferenceOnExit,
		hold: p.hold,
		label: p.label,
		muted: p.muted,
		queue_time: '0',
		start_conference_on_enter: p.startConferenceOnEnter,
		status: p.status,
		uri: `/2010-04-01/Accounts/${p.accountSid}/Conferences/${p.conferenceSid}/Participants/${p.callSid}.json`
	};
}

export function phoneNumberResource(n: PhoneNumberView) {
	const uri = `/2010-04-01/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}`;
	return {
		account_sid: n.accountSid,
		address_requirements: 'none',
		address_sid: null,
		api_version: '2010-04-01',
		beta: false,
		bundle_sid: null,
		capabilities: { voice: true, sms: n.smsCapable ?? true, mms: n.smsCapable ?? true, fax: false },
		date_created: rfc2822(n.dateCreated),
		date_updated: rfc2822(n.dateUpdated),
		emergency_address_sid: null,
		emergency_address_status: 'unregistered',
		emergency_status: 'Inactive',
		friendly_name: n.friendlyName,
		identity_sid: null,
		origin: 'twilio',
		phone_number: n.phoneNumber,
		sid: n.sid,
		sms_application_sid: n.smsApplicationSid ?? '',
		sms_fallback_method: n.smsFallbackMethod,
		sms_fallback_url: n.smsFallbackUrl,
		sms_method: n.smsMethod,
		sms_url: n.smsUrl,
		status: 'in-use',
		status_callback: n.statusCallback,
		status_callback_method: n.statusCallbackMethod,
		subresource_uris: { assigned_add_ons: `${uri}/AssignedAddOns.json` },
		trunk_sid: n.trunkSid || null,
		uri: `${uri}.json`,
		voice_application_sid: n.voiceApplicationSid ?? '',
		voice_caller_id_lookup: false,
		voice_fallback_method: n.voiceFallbackMethod,
		voice_fallback_url: n.voiceFallbackUrl,
		voice_method: n.voiceMethod,
		voice_receive_mode: 'voice',
		voice_url: n.voiceUrl
	};
}

export function applicationResource(a: ApplicationView) {
	return {
		account_sid: a.accountSid,
		api_version: '2010-04-01',
		date_created: rfc2822(a.dateCreated),
		date_updated: rfc2822(a.dateUpdated),
		friendly_name: a.friendlyName,
		message_status_callback: '',
		sid: a.sid,
		sms_fallback_method: 'POST',
		sms_fallback_url: '',
		sms_method: 'POST',
		sms_status_callback: '',
		sms_url: '',
		status_callback: a.statusCallback,
		status_callback_method: a.statusCallbackMethod,
		uri: `/2010-04-01/Accounts/${a.accountSid}/Applications/${a.sid}.json`,
		voice_caller_id_lookup: false,
		voice_fallback_method: a.voiceFallbackMethod,
		voice_fallback_url: a.voiceFallbackUrl,
		voice_method: a.voiceMethod,
		voice_url: a.voiceUrl,
		public_application_connect_enabled: false
	};
}

/** Form parameter -> settings field, for IncomingPhoneNumbers and Applications updates. */
const URL_PARAMS = {
	VoiceUrl: 'voiceUrl',
	VoiceFallbackUrl: 'voiceFallbackUrl',
	StatusCallback: 'statusCallback',
	SmsUrl: 'smsUrl',
	SmsFallbackUrl: 'smsFallbackUrl'
} as const satisfies Record<string, keyof NumberSettings>;
const METHOD_PARAMS = {
	VoiceMethod: 'voiceMethod',
	VoiceFallbackMethod: 'voiceFallbackMethod',
	StatusCallbackMethod: 'statusCallbackMethod',
	SmsMethod: 'smsMethod',
	SmsFallbackMethod: 'smsFallbackMethod'
} as const satisfies Record<string, keyof NumberSettings>;
/** A number's attachments ('' detaches), numbers only. */
const SID_PARAMS = [
	['VoiceApplicationSid', 'voiceApplicationSid', 'AP'],
	['SmsApplicationSid', 'smsApplicationSid', 'AP'],
	['TrunkSid', 'trunkSid', 'TK']
] as const;
const APPLICATION_PARAMS = new Set(['FriendlyName', 'VoiceUrl', 'VoiceMethod', 'VoiceFallbackUrl', 'VoiceFallbackMethod', 'StatusCallback', 'StatusCallbackMethod']);

/**
 * A number's (or application's) update from its form, checked whole before anything is
 * written: Twilio's 21402 for a URL that is not absolute http(s), 21403 for a method other than
 * GET or POST, each naming the parameter. An empty URL clears it, as in Twilio.
 */
function settingsUpdate(form: URLSearchParams, allowed: (name: string) => boolean): { update: Partial<NumberSettings> } | { refused: RestResponse } {
	const update: Partial<NumberSettings> = {};
	for (const [param, field] of Object.entries(URL_PARAMS)) {
		const value = form.get(param);
		if (value === null || !allowed(param)) continue;
		if (value !== '') {
			const url = URL.canParse(value) ? new URL(value) : null;
			if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
				return { refused: restError(400, 21402, `${param} is not a valid URL: ${JSON.stringify(value)}. Use a fully qualified http:// or https:// URL.`) };
			}
		}
		update[field] = value;
	}
	for (const [param, field] of Object.entries(METHOD_PARAMS)) {
		const value = form.get(param);
		if (value === null || !allowed(param)) continue;
		const upper = value.toUpperCase();
		if (upper !== 'GET' && upper !== 'POST') return { refused: restError(400, 21403, `${param} must be GET or POST, not ${JSON.stringify(value)}.`) };
		update[field] = upper;
	}
	for (const [param, field, prefix] of SID_PARAMS) {
		const value = form.get(param);
		if (value === null || !allowed(param)) continue;
		if (value !== '' && !new RegExp(`^${prefix}[0-9a-f]{32}$`).test(value)) return { refused: restError(400, 21401, `${param} is not a valid ${prefix} SID: ${JSON.stringify(value)}.`) };
		update[field] = value;
	}
	const name = form.get('FriendlyName');
	if (name !== null) update.friendlyName = name;
	return { update };
}

function handleNumbers(api: NumberRest, accountPath: string, rest: string, method: string, form: URLSearchParams): RestResponse | null {
	if (rest === 'IncomingPhoneNumbers.json' && method === 'GET') {
		const list = api.listNumbers({ phoneNumber: form.get('PhoneNumber'), friendlyName: form.get('FriendlyName') });
		return json(200, page(`${accountPath}IncomingPhoneNumbers.json`, 'incoming_phone_numbers', list.map(phoneNumberResource)));
	}
	let m = /^IncomingPhoneNumbers\/(PN[0-9a-f]{32})\.json$/.exec(rest);
	if (m?.[1]) {
		if (method === 'GET') return json(200, phoneNumberResource(api.getNumber(m[1])));
		if (method === 'POST') {
			api.getNumber(m[1]); // 20404 before any validation message for a SID that is not on the account
			const parsed = settingsUpdate(form, () => true);
			if ('refused' in parsed) return parsed.refused;
			return json(200, phoneNumberResource(api.updateNumber(m[1], parsed.update)));
		}
	}
	m = /^Applications\/(AP[0-9a-f]{32})\.json$/.exec(rest);
	if (m?.[1]) {
		if (method === 'GET') return json(200, applicationResource(api.getApplication(m[1])));
		if (method === 'POST') {
			api.getApplication(m[1]);
			const parsed = settingsUpdate(form, (name) => APPLICATION_PARAMS.has(name));
			if ('refused' in parsed) return parsed.refused;
			return json(200, applicationResource(api.updateApplication(m[1], parsed.update)));
		}
	}
	return null;
}

/** A one-page list in Twilio's 2010-04-01 paging shape. */
function page(path: string, key: string, items: unknown[]) {
	return {
		[key]: items,
		end: Math.max(0, items.length - 1),
		first_page_uri: `${path}?PageSize=50&Page=0`,
		next_page_uri: null,
		page: 0,
		page_size: 50,
		previous_page_uri: null,
		start: 0,
		uri: `${path}?PageSize=50&Page=0`
	};
}

const boolField = (form: URLSearchParams, name: string): boolean | undefined => {
	const v = form.get(name);
	return v === null ? undefined : v.toLowerCase() === 'true';
};

function participantInput(form: URLSearchParams): ParticipantInput {
	const str = (name: string) => form.get(name) ?? undefined;
	const events = form.getAll('StatusCallbackEvent').flatMap((e) => e.split(' ')).filter(Boolean) as CallProgressEvent[];
	const confEvents = form.getAll('ConferenceStatusCallbackEvent').flatMap((e) => e.split(' ')).filter(Boolean);
	const input: ParticipantInput = { from: form.get('From') ?? '', to: form.get('To') ?? '' };
	const label = str('Label');
	if (label) input.label = label;
	const muted = boolField(form, 'Muted');
	if (muted !== undefined) input.muted = muted;
	const coaching = boolField(form, 'Coaching');
	if (coaching !== undefined) input.coaching = coaching;
	const coach = str('CallSidToCoach');
	if (coach) input.callSidToCoach = coach;
	const start = boolField(form, 'StartConferenceOnEnter');
	if (start !== undefined) input.startConferenceOnEnter = start;
	const end = boolField(form, 'EndConferenceOnExit');
	if (end !== undefined) input.endConferenceOnExit = end;
	const cb = str('StatusCallback');
	if (cb) input.statusCallback = cb;
	if (events.length) input.statusCallbackEvent = events;
	const ccb = str('ConferenceStatusCallback');
	if (ccb) input.conferenceStatusCallback = ccb;
	if (confEvents.length) input.conferenceStatusCallbackEvent = confEvents;
	const timeout = form.get('Timeout');
	if (timeout) input.timeoutSeconds = Number(timeout);
	return input;
}

function participantUpdate(form: URLSearchParams): ParticipantUpdate {
	const update: ParticipantUpdate = {};
	const hold = boolField(form, 'Hold');
	if (hold !== undefined) update.hold = hold;
	const holdUrl = form.get('HoldUrl');
	if (holdUrl) update.holdUrl = holdUrl;
	if (form.get('HoldMethod')) update.holdMethod = form.get('HoldMethod') === 'GET' ? 'GET' : 'POST';
	const muted = boolField(form, 'Muted');
	if (muted !== undefined) update.muted = muted;
	const coaching = boolField(form, 'Coaching');
	if (coaching !== undefined) update.coaching = coaching;
	const coach = form.get('CallSidToCoach');
	if (coach) update.callSidToCoach = coach;
	return update;
}

function handleConferences(api: ConferenceRest, accountPath: string, rest: string, method: string, form: URLSearchParams): RestResponse | null {
	if (rest === 'Conferences.json' && method === 'GET') {
		const list = api.listConferences({ friendlyName: form.get('FriendlyName'), status: form.get('Status') });
		return json(200, page(`${accountPath}Conferences.json`, 'conferences', list.map(conferenceResource)));
	}
	let m = /^Conferences\/([^/]+)\.json$/.exec(rest);
	if (m?.[1]) {
		const key = decodeURIComponent(m[1]);
		if (method === 'GET') return json(200, conferenceResource(api.getConference(key)));
		if (method === 'POST') return json(200, conferenceResource(api.updateConference(key, { status: form.get('Status') })));
	}
	m = /^Conferences\/([^/]+)\/Participants\.json$/.exec(rest);
	if (m?.[1]) {
		const key = decodeURIComponent(m[1]);
		if (method === 'GET') return json(200, page(`${accountPath}${rest}`, 'participants', api.listParticipants(key).map(participantResource)));
		if (method === 'POST') return json(201, participantResource(api.addParticipant(key, participantInput(form))));
	}
	m = /^Conferences\/([^/]+)\/Participants\/([^/]+)\.json$/.exec(rest);
	if (m?.[1] && m[2]) {
		const key = decodeURIComponent(m[1]);
		const callSid = decodeURIComponent(m[2]);
		if (method === 'GET') return json(200, participantResource(api.getParticipant(key, callSid)));
		if (method === 'POST') return json(200, participantResource(api.updateParticipant(key, callSid, participantUpdate(form))));
		if (method === 'DELETE') {
			api.removeParticipant(key, callSid);
			return { status: 204, contentType: 'application/json', body: '' };
		}
	}
	return null;
}

function json(status: number, body: unknown): RestResponse {
	return { status, contentType: 'application/json', body: JSON.stringify(body) };
}

/** Twilio's error body: `{code, message, more_info, status}`. */
export function restError(status: number, code: number, message: string): RestResponse {
	return json(status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function basicCredentials(header: string | undefined): [string, string] | null {
	const m = /^Basic\s+(.+)$/i.exec(header ?? '');
	if (!m?.[1]) return null;
	const decoded = Buffer.from(m[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	return colon < 0 ? null : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

function createCallInput(form: URLSearchParams): CreateCallInput {
	const common = {
		from: form.get('From') ?? '',
		to: form.get('To') ?? '',
		...(form.get('StatusCallback') ? { statusCallback: form.get('StatusCallback') ?? undefined } : {}),
		...(form.get('StatusCallbackMethod') ? { statusCallbackMethod: form.get('StatusCallbackMethod')?.toUpperCase() === 'GET' ? ('GET' as const) : ('POST' as const) } : {}),
		...(form.getAll('StatusCallbackEvent').length
			? { statusCallbackEvent: form.getAll('StatusCallbackEvent').flatMap((e) => e.split(' ')) as CallProgressEvent[] }
			: {}),
		...(form.get('Record') ? { record: form.get('Record') === 'true' } : {}),
		...(form.get('Timeout') ? { timeoutSeconds: Number(form.get('Timeout')) } : {})
	};
	const twiml = form.get('Twiml');
	if (twiml !== null) return { ...common, twiml };
	return { ...common, url: form.get('Url') ?? '', method: form.get('Method') === 'GET' ? 'GET' : 'POST' };
}

function updateCallInput(form: URLSearchParams): UpdateCallInput | null {
	const status = form.get('Status');
	if (status === 'completed' || status === 'canceled') return { status };
	const twiml = form.get('Twiml');
	if (twiml !== null) return { twiml };
	const url = form.get('Url');
	if (url !== null) return { url, method: form.get('Method') === 'GET' ? 'GET' : 'POST' };
	return null;
}

/** Answer one Twilio REST request against the carrier's state. */
export function handleTwilioRest(carrier: LocalCarrier, request: RestRequest, options: LocalRestOptions): RestResponse {
	const credentials = basicCredentials(request.authorization);
	if (!credentials || !options.authorize(...credentials)) return restError(401, 20003, 'Authenticate');
	const prefix = `/2010-04-01/Accounts/${carrier.accountSid}/`;
	if (!request.path.startsWith(prefix)) return restError(404, 20404, `The requested resource ${request.path} was not found`);
	const rest = request.path.slice(prefix.length);
	const method = request.method.toUpperCase();
	try {
		if (rest === 'Messages.json' && method === 'POST') {
			const from = request.form.get('From') ?? request.form.get('MessagingServiceSid') ?? '';
			const m = carrier.sendMessage({
				from,
				to: request.form.get('To') ?? '',
				body: request.form.get('Body') ?? '',
				mediaUrls: request.form.getAll('MediaUrl'),
				...(request.form.get('StatusCallback') ? { statusCallback: request.form.get('StatusCallback') ?? undefined } : {})
			});
			return json(201, messageResource(m));
		}
		let match = /^Messages\/((?:SM|MM)[0-9a-f]{32})\.json$/.exec(rest);
		if (match?.[1] && method === 'GET') return json(200, messageResource(carrier.fetchMessage(match[1])));
		if (rest === 'Calls.json' && method === 'POST') return json(201, callResource(carrier.createCall(createCallInput(request.form))));
		match = /^Calls\/(CA[0-9a-f]{32})\.json$/.exec(rest);
		if (match?.[1] && method === 'GET') return json(200, callResource(carrier.fetchCall(match[1])));
		if (match?.[1] && method === 'POST') {
			const input = updateCallInput(request.form);
			if (!input) return restError(400, 21218, 'Invalid application or TwiML: pass Url, Twiml or Status.');
			return json(200, callResource(carrier.updateCall(match[1], input)));
		}
		match = /^Calls\/(CA[0-9a-f]{32})\/Recordings\/(RE[0-9a-f]{32}|Twilio\.CURRENT)\.json$/.exec(rest);
		if (match?.[1] && match[2] && method === 'POST') {
			const status = request.form.get('Status');
			if (status !== 'paused' && status !== 'in-progress') return restError(400, 21218, 'Status must be paused or in-progress.');
			const behavior = request.form.get('PauseBehavior');
			if (behavior !== null && behavior !== 'skip' && behavior !== 'silence') return restError(400, 21218, 'PauseBehavior must be skip or silence.');
			const r = carrier.updateCallRecording(match[1], match[2], { status, ...(behavior ? { pauseBehavior: behavior } : {}) });
			const uri = `/2010-04-01/Accounts/${carrier.accountSid}/Calls/${r.callSid}/Recordings/${r.sid}.json`;
			return json(200, { account_sid: carrier.accountSid, api_version: '2010-04-01', call_sid: r.callSid, sid: r.sid, status: r.status, source: 'DialVerb', channels: 2, uri });
		}
		if (options.numbers && (rest.startsWith('IncomingPhoneNumbers') || rest.startsWith('Applications/'))) {
			const answer = handleNumbers(options.numbers, prefix, rest, method, request.form);
			if (answer) return answer;
		}
		if (options.conferences && rest.startsWith('Conferences')) {
			const answer = handleConferences(options.conferences, prefix, rest, method, request.form);
			if (answer) return answer;
		}
		match = /^Recordings\/(RE[0-9a-f]{32})(\.wav|\.mp3|\.json)?$/.exec(rest);
		if (match?.[1] && match[2] === '.json' && method === 'GET') {
			const recording = carrier.recordings.get(match[1]);
			if (!recording) return restError(404, 20404, `The requested resource ${request.path} was not found`);
			return json(200, recordingResource(recording, carrier.apiBaseUrl));
		}
		if (match?.[1] && match[2] === '.json' && method === 'DELETE') {
			if (!carrier.recordings.delete(match[1])) return restError(404, 20404, `The requested resource ${request.path} was not found`);
			return { status: 204, contentType: 'application/json', body: '' };
		}
		if (match?.[1] && method === 'GET') {
			const media = carrier.fetchRecording(`${carrier.apiBaseUrl}${request.path}`);
			return { status: 200, contentType: media.contentType, body: media.body };
		}
		if (/^Messages\/MM[0-9a-f]{32}\/Media\/ME[0-9a-f]{32}$/.test(rest) && method === 'GET') {
			// The media file itself, as Twilio serves a MediaUrl to the account's credentials.
			const media = carrier.mediaAt(request.path);
			if (!media) return restError(404, 20404, `The requested resource ${request.path} was not found`);
			return { status: 200, contentType: media.contentType, body: media.body };
		}
		match = /^(Messages\/MM[0-9a-f]{32}\/Media\/ME[0-9a-f]{32})\.json$/.exec(rest);
		if (match?.[1] && method === 'DELETE') {
			const media = carrier.mediaAt(prefix + match[1]);
			if (!media) return restError(404, 20404, `The requested resource ${request.path} was not found`);
			carrier.media.delete(media.sid);
			return { status: 204, contentType: 'application/json', body: '' };
		}
		return restError(404, 20404, `The requested resource ${request.path} was not found`);
	} catch (err) {
		if (err instanceof AdapterError && err.status && typeof err.vendorCode === 'number') {
			return restError(err.status, err.vendorCode, err.message);
		}
		throw err;
	}
}

/**
 * `handleTwilioRest` for a web Request, `path` being below the carrier's mount point: what the
 * app's /carrier route and local mode's in-process transport both answer with.
 */
export async function serveTwilioRest(carrier: LocalCarrier, request: Request, path: string, engine?: ConferenceRest & NumberRest): Promise<Response> {
	const url = new URL(request.url);
	const form = request.method === 'GET' || request.method === 'DELETE' ? url.searchParams : new URLSearchParams(await request.text());
	const res = handleTwilioRest(
		carrier,
		{ method: request.method, path, form, authorization: request.headers.get('authorization') ?? undefined },
		{ authorize: (u, p) => carrier.checkCredentials(u, p), ...(engine ? { conferences: engine, numbers: engine } : {}) }
	);
	const payload = typeof res.body === 'string' ? res.body : new Uint8Array(res.body);
	return new Response(res.status === 204 ? null : payload, { status: res.status, headers: { 'content-type': res.contentType } });
}
