/** Test helper: form-encoded webhook Requests signed as the carrier would sign them. Test code only. */
import type { TelephonyPort } from '../adapters/telephony/port';
import type { TwilioParams } from './verify-twilio-request';

export interface SignedRequestOptions {
	/** Path and query, e.g. `/webhooks/twilio/voice`. */
	path: string;
	params: TwilioParams;
	/** The origin the app sees (behind a proxy), e.g. `http://127.0.0.1:3000`. */
	appOrigin?: string;
	/** Sign as if Twilio requested this public base URL. */
	publicBaseUrl: string;
	signature?: string | null;
	headers?: Record<string, string>;
	/** Send this body instead of the signed params (replays with a changed body). */
	body?: string;
}

export function formBody(params: TwilioParams): string {
	const form = new URLSearchParams();
	for (const [name, value] of Object.entries(params)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
	return form.toString();
}

/** A Request plus the URL the app would see for it. */
export function signedRequest(telephony: Pick<TelephonyPort, 'signWebhook'>, o: SignedRequestOptions): { request: Request; url: URL } {
	const url = new URL(o.path, o.appOrigin ?? 'http://127.0.0.1:3000');
	const signature =
		o.signature === undefined ? telephony.signWebhook({ url: `${o.publicBaseUrl}${url.pathname}${url.search}`, params: o.params }) : o.signature;
	const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...o.headers };
	if (signature !== null) headers['x-twilio-signature'] = signature;
	return { request: new Request(url, { method: 'POST', headers, body: o.body ?? formBody(o.params) }), url };
}
