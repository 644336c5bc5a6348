/**
 * The request pipeline hooks.server.ts installs with sequence(): security headers, the
 * cross-site write check (Kit's own is off for Twilio's sake), better-auth's routes, the
 * session, then the page and API guards. Built from a function that yields the Auth, so tests
 * can run the steps without a server.
 */
import { error, json, redirect, type Handle } from '@sveltejs/kit';
import type { Auth } from './auth';
import { isCarrierAccount, type CarrierAccount } from './carrier-client';
import { withClientIp } from './client-ip';
import { isCrossSiteWrite } from './csrf';
import { forwardCookies } from './forward-cookies';
import { CARRIER_ROUTE_ID, decideAccess } from './page-access';
import { applySecurityHeaders } from './security-headers';
import { resolveSession } from './session-user';

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	try {
		applySecurityHeaders(response.headers);
		return response;
	} catch {
		// Some responses (a fetch passthrough, Response.redirect) have immutable headers.
		const copy = new Response(response.body, response);
		applySecurityHeaders(copy.headers);
		return copy;
	}
};

const CARRIER_UNAUTHORIZED =
	"Sign in as staff, or send the local carrier's account SID and auth token as Basic credentials (npm run carrier does).";

const csrf: Handle = ({ event, resolve }) => {
	if (!isCrossSiteWrite(event.request, event.url)) return resolve(event);
	return new Response(`Cross-site ${event.request.method} requests are forbidden: the Origin header must be ${event.url.origin}.`, {
		status: 403,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
};

export interface AuthHandleOptions {
	/** The local carrier's account, whose Basic credentials also open /carrier; null with real telephony. */
	carrierAccount?: () => Promise<CarrierAccount | null>;
}

/** The steps, in order, for `sequence(...)`. */
export function createAuthHandles(getAuth: () => Promise<Auth>, options: AuthHandleOptions = {}): Handle[] {
	const guards: Handle = async ({ event, resolve }) => {
		const access = decideAccess({ pathname: event.url.pathname, search: event.url.search, routeId: event.route.id }, event.locals.user);
		if (access.kind === 'sign-in') redirect(303, access.location);
		if (access.kind === 'unauthorized') {
			const carrierRoute = event.route.id === CARRIER_ROUTE_ID;
			const carrierAccount = carrierRoute && options.carrierAccount ? await options.carrierAccount() : null;
			if (isCarrierAccount(event.request.headers.get('authorization'), carrierAccount)) return resolve(event);
			const message = carrierRoute ? CARRIER_UNAUTHORIZED : 'Sign in to continue.';
			return json({ error: { code: 'UNAUTHORIZED', message } }, { status: 401 });
		}
		if (access.kind === 'forbidden') error(403, { message: access.message, code: 'FORBIDDEN' });
		return resolve(event);
	};

	/** better-auth answers /api/auth/* itself, matched by path so adapter-node's ORIGIN does not matter. */
	const authRoutes: Handle = async ({ event, resolve }) => {
		if (!event.url.pathname.startsWith('/api/auth/')) return resolve(event);
		const auth = await getAuth();
		return auth.handler(new Request(event.request, { headers: withClientIp(event.request.headers, event.getClientAddress()) }));
	};

	const session: Handle = async ({ event, resolve }) => {
		const resolved = await resolveSession(await getAuth(), event.request.headers);
		forwardCookies(resolved.headers, event.cookies);
		event.locals.user = resolved.user;
		event.locals.session = resolved.session;
		return resolve(event);
	};

	return [securityHeaders, csrf, authRoutes, session, guards];
}
