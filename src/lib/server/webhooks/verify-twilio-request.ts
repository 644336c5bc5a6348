/**
 * The first thing every Twilio webhook does: read the form body (capped, before any parsing),
 * and check X-Twilio-Signature against the URL Twilio requested. Behind a proxy the app sees
 * `http://127.0.0.1:3000/...` while Twilio signed `https://host/...`, so the URL checked is the
 * configured public base URL plus the request's own path and query.
 */
import type { TelephonyPort } from '../adapters/telephony/port';
import type { Config } from '../env';
import { logger } from '../log';
import { textResponse } from './responses';
import { readStreamCapped } from '../read-capped';

/** Twilio's largest voice or SMS request is a few KB; 64 KB leaves room and stops floods early. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/** Every form field received; a name sent more than once keeps all its values in order. */
export type TwilioParams = Record<string, string | string[]>;

export interface VerifyTwilioRequestInput {
	request: Request;
	/** The URL the app sees (SvelteKit's `event.url`); only its path and query are used. */
	url: URL;
	config: Pick<Config, 'publicBaseUrl'>;
	telephony: Pick<TelephonyPort, 'validateWebhook'>;
	maxBytes?: number;
}

const log = logger('webhooks');

/** The URL Twilio signed: public base URL + the request's path and query (fragments are never signed). */
export function publicWebhookUrl(publicBaseUrl: string, url: URL): string {
	return `${publicBaseUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`;
}

/** The body as text, or null once it exceeds `maxBytes` (checked on the declared length first, then while reading). */
export async function readBodyCapped(request: Request, maxBytes: number): Promise<string | null> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (Number.isFinite(declared) && declared > maxBytes) {
		await request.body?.cancel().catch(() => {});
		return null;
	}
	const body = await readStreamCapped(request.body, maxBytes);
	return body === null ? null : new TextDecoder().decode(body);
}

/** Parse `application/x-www-form-urlencoded` keeping every value of a repeated name. */
export function parseForm(body: string): TwilioParams {
	const params: TwilioParams = {};
	for (const [name, value] of new URLSearchParams(body)) {
		const existing = params[name];
		if (existing === undefined) params[name] = value;
		else if (Array.isArray(existing)) existing.push(value);
		else params[name] = [existing, value];
	}
	return params;
}

/**
 * The request's form params when its signature is valid; otherwise the Response to send:
 * 413 for a body over the cap, 403 for a missing or wrong signature. Nothing is written here.
 */
export async function verifyTwilioRequest(input: VerifyTwilioRequestInput): Promise<TwilioParams | Response> {
	const maxBytes = input.maxBytes ?? MAX_WEBHOOK_BODY_BYTES;
	const body = await readBodyCapped(input.request, maxBytes);
	if (body === null) return textResponse(413, `Webhook body is larger than ${maxBytes} bytes; Twilio never sends that much.`);
	const params = parseForm(body);
	const signature = input.request.headers.get('x-twilio-signature');
	if (!signature) {
		log.warn('webhook without X-Twilio-Signature refused', { path: input.url.pathname });
		return textResponse(403, 'Missing X-Twilio-Signature header.');
	}
	const url = publicWebhookUrl(input.config.publicBaseUrl, input.url);
	if (!input.telephony.validateWebhook({ signature, url, params })) {
		log.warn('webhook with an invalid signature refused', { path: input.url.pathname });
		return textResponse(403, 'X-Twilio-Signature does not match this request; check PUBLIC_BASE_URL and the auth token.');
	}
	return params;
}
