/**
 * Rules both telephony adapters share: Twilio's webhook signature scheme (through twilio's own
 * helpers, so the twin signs exactly as Twilio does) and the checks on softphone token input.
 */
import twilio from 'twilio';
import { badRequest } from '../../errors';
import type { ClientTokenInput, JsonWebhookRequest, WebhookRequest } from './port';

export const TWILIO_API_ORIGIN = 'https://api.twilio.com';

/** `https://api.twilio.com` and its edge/region forms (`https://api.dublin.ie1.twilio.com`). */
const TWILIO_API_HOST = /^https:\/\/api(?:\.[a-z0-9-]+)*\.twilio\.com(?=[/?#]|$)/i;

/** Softphone tokens: Twilio allows identities of letters, digits and underscore, at most 256, and at most 24 h. */
export function assertClientTokenInput(input: ClientTokenInput): void {
	if (!/^[A-Za-z0-9_]{1,256}$/.test(input.identity)) {
		throw badRequest('INVALID_IDENTITY', 'A softphone identity is 1 to 256 letters, digits or underscores.');
	}
	if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 60 || input.ttlSeconds > 86_400) {
		throw badRequest('INVALID_TOKEN_TTL', 'A softphone token lives between 60 and 86400 seconds.');
	}
}

export function validateWebhookSignature(authToken: string, request: WebhookRequest): boolean {
	if (!request.signature) return false;
	try {
		return twilio.validateRequest(authToken, request.signature, request.url, request.params);
	} catch {
		// An unparsable URL cannot have been signed by the carrier.
		return false;
	}
}

export function validateJsonWebhookSignature(authToken: string, request: JsonWebhookRequest): boolean {
	if (!request.signature) return false;
	try {
		if (!new URL(request.url).searchParams.get('bodySHA256')) return false;
		return twilio.validateRequestWithBody(authToken, request.signature, request.url, request.body);
	} catch {
		return false;
	}
}

export function signWebhook(authToken: string, url: string, params: Record<string, string | string[]>): string {
	return twilio.getExpectedTwilioSignature(authToken, url, params);
}

/** Lowercase hex SHA-256 of a JSON webhook body, as Twilio puts it in `bodySHA256`. */
export function bodySha256(body: string): string {
	return twilio.getExpectedBodyHash(body);
}

/** True for an https URL on Twilio's REST API host (any edge or region). */
export function isTwilioApiUrl(url: string): boolean {
	return TWILIO_API_HOST.test(url);
}

/**
 * Point a Twilio REST URL (any edge or region, which the SDK may pick from TWILIO_EDGE or
 * TWILIO_REGION) at another origin and optional path prefix, keeping path and query.
 */
export function rebaseTwilioUrl(uri: string, baseUrl: string): string {
	const host = TWILIO_API_HOST.exec(uri);
	if (!host) return uri;
	return baseUrl.replace(/\/+$/, '') + uri.slice(host[0].length);
}
