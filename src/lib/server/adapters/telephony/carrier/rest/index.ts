/**
 * Twilio's REST surface over a LocalCarrier: the 2010-04-01 paths with Twilio's JSON shapes and
 * error bodies, as a route table (method + path below the account -> handler), one module per
 * resource. The official client (TwilioTelephony with `apiBaseUrl`) talks to it; the adapter
 * tests use it as their fake Twilio, and the app mounts it at /carrier. Framework-free: a
 * request in, a response out.
 */
import { AdapterError } from '../../../errors';
import type { LocalCarrier } from '../local-carrier';
import { applicationRoutes } from './applications';
import { callRoutes } from './calls';
import { conferenceRoutes } from './conferences';
import { incomingPhoneNumberRoutes } from './incoming-phone-numbers';
import { mediaRoutes } from './media';
import { messageRoutes } from './messages';
import { participantRoutes } from './participants';
import { recordingRoutes } from './recordings';
import { notFound, restError } from './respond';
import type { ConferenceRest, LocalRestOptions, NumberRest, RestRequest, RestResponse, Route } from './types';

export type * from './types';
export { restError } from './respond';
export { messageResource } from './messages';
export { callResource } from './calls';
export { recordingResource } from './recordings';
export { conferenceResource } from './conferences';
export { participantResource } from './participants';
export { phoneNumberResource } from './incoming-phone-numbers';
export { applicationResource } from './applications';

/** Every path the carrier answers below `/2010-04-01/Accounts/{AccountSid}/`; anything else is Twilio's 20404. */
export const ROUTES: readonly Route[] = [
	...messageRoutes,
	...mediaRoutes,
	...callRoutes,
	...recordingRoutes,
	...incomingPhoneNumberRoutes,
	...applicationRoutes,
	...conferenceRoutes,
	...participantRoutes
];

function basicCredentials(header: string | undefined): [string, string] | null {
	const m = /^Basic\s+(.+)$/i.exec(header ?? '');
	if (!m?.[1]) return null;
	const decoded = Buffer.from(m[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	return colon < 0 ? null : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** Answer one Twilio REST request against the carrier's state. */
export function handleTwilioRest(carrier: LocalCarrier, request: RestRequest, options: LocalRestOptions): RestResponse {
	const credentials = basicCredentials(request.authorization);
	if (!credentials || !options.authorize(...credentials)) return restError(401, 20003, 'Authenticate');
	const accountPath = `/2010-04-01/Accounts/${carrier.accountSid}/`;
	if (!request.path.startsWith(accountPath)) return notFound({ request });
	const rest = request.path.slice(accountPath.length);
	const method = request.method.toUpperCase();
	const ctx = { carrier, options, request, form: request.form, accountPath, rest };
	try {
		for (const route of ROUTES) {
			if (route.method !== method) continue;
			const match = route.path.exec(rest);
			if (match) return route.handle(ctx, match.slice(1));
		}
		return notFound(ctx);
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
