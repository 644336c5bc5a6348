/**
 * Kit's own origin check is off (svelte.config.js) because Twilio posts form-encoded webhooks
 * without an Origin header, and it covers only form content types. This one covers every
 * POST, PUT, PATCH and DELETE whatever its content type (a cross-site `fetch` with a JSON body
 * is one preflight away from working, and a text/plain one needs none): the request must come
 * from our own origin, by its Origin header, or, when a browser sent none, by
 * `Sec-Fetch-Site: same-origin`. Anything else is refused, so a client outside a browser must
 * send Origin. Only browsers hold our session cookies, so nothing legitimate is lost.
 */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Twilio's webhooks authenticate with X-Twilio-Signature instead; the local carrier's REST
 * paths (/carrier/2010-04-01/, local mode only) with HTTP Basic credentials, as Twilio's API
 * does. The rest of /carrier (the scenario API) takes a staff session, so it is checked, unless
 * the request carries its own Authorization (the carrier's Basic credentials, as `npm run
 * carrier` sends them): a browser cannot add that header to a cross-site request without a CORS
 * preflight, which nothing here grants.
 */
const EXEMPT = ['/webhooks/twilio/', '/carrier/2010-04-01/'];

export function isCrossSiteWrite(request: Request, url: URL): boolean {
	if (!UNSAFE_METHODS.has(request.method)) return false;
	if (EXEMPT.some((prefix) => url.pathname.startsWith(prefix))) return false;
	if (url.pathname.startsWith('/carrier/') && request.headers.has('authorization')) return false;
	const origin = request.headers.get('origin');
	if (origin !== null) return origin !== url.origin;
	return request.headers.get('sec-fetch-site') !== 'same-origin';
}
