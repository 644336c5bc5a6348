/**
 * Twilio's REST surface over a LocalCarrier: the 2010-04-01 Messages, Calls and Recordings
 * paths with Twilio's JSON shapes and error bodies. The official client (TwilioTelephony with
 * `apiBaseUrl`) talks to it; the adapter tests use it as their fake Twilio, and the carrier
 * issue mounts it on a real server. Framework-free: a request in, a response out.
 */
import { AdapterError } from '../errors';
import type { LocalCall, LocalCarrier, LocalMessage } from './local';
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
		match = /^Recordings\/(RE[0-9a-f]{32})(\.wav|\.mp3)?$/.exec(rest);
		if (match?.[1] && method === 'GET') {
			const media = carrier.fetchRecording(`${carrier.apiBaseUrl}${request.path}`);
			return { status: 200, contentType: media.contentType, body: media.body };
		}
		return restError(404, 20404, `The requested resource ${request.path} was not found`);
	} catch (err) {
		if (err instanceof AdapterError && err.status && typeof err.vendorCode === 'number') {
			return restError(err.status, err.vendorCode, err.message);
		}
		throw err;
	}
}

