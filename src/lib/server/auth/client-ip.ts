/**
 * The one header better-auth reads the client address from. hooks.server.ts (and the login
 * action) set it from SvelteKit's getClientAddress(), replacing anything the client sent, so
 * the sign-in throttle cannot be dodged by forging X-Forwarded-For.
 */
export const CLIENT_IP_HEADER = 'x-switchboard-client-ip';

/** A copy of `headers` carrying the trusted client address. */
export function withClientIp(headers: Headers, clientAddress: string): Headers {
	const out = new Headers(headers);
	out.set(CLIENT_IP_HEADER, clientAddress);
	return out;
}
