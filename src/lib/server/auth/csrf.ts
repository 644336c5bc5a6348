/**
 * Kit's own origin check is off (svelte.config.js) because Twilio posts form-encoded webhooks
 * without an Origin header; this is the same check for every other path. A browser always
 * sends Origin on a cross-site form post, so a missing or foreign Origin is refused.
 */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];
/**
 * Twilio's webhooks authenticate with X-Twilio-Signature instead; the local carrier's REST
 * paths (/carrier/2010-04-01/, local mode only) with HTTP Basic credentials, as Twilio's API
 * does. The rest of /carrier (the scenario API) takes a staff session, so it is checked.
 */
const EXEMPT = ['/webhooks/twilio/', '/carrier/2010-04-01/'];

export function isCrossSiteFormPost(request: Request, url: URL): boolean {
	if (!UNSAFE_METHODS.has(request.method)) return false;
	if (EXEMPT.some((prefix) => url.pathname.startsWith(prefix))) return false;
	const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
	if (!FORM_TYPES.includes(type)) return false;
	return request.headers.get('origin') !== url.origin;
}
