/**
 * The request pipeline hooks.server.ts installs with sequence(): security headers, the
 * cross-site write check (Kit's own is off for Twilio's sake), better-auth's routes, the
 * session, then the page and API guards. Built from a function that yields the Auth, so tests
 * can run the steps without a server.
 */
import { error, json, redirect, type Handle } from '@sveltejs/kit';
import type { Auth } from './auth';
import { withClientIp } from './client-ip';
import { isCrossSiteWrite } from './csrf';
import { forwardCookies } from './forward-cookies';
import { decideAccess } from './page-access';
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

const csrf: Handle = ({ event, resolve }) => {
	if (!isCrossSiteWrite(event.request, event.url)) return resolve(event);
	return new Response(`Cross-site ${event.request.method} requests are forbidden: the Origin header must be ${event.url.origin}.`, {
		status: 403,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
};

const guards: Handle = ({ event, resolve }) => {
	const access = decideAccess({ pathname: event.url.pathname, search: event.url.search, routeId: event.route.id }, event.locals.user);
	if (access.kind === 'sign-in') redirect(303, access.location);
	if (access.kind === 'unauthorized') return json({ error: { code: 'UNAUTHORIZED', message: 'Sign in to continue.' } }, { status: 401 });
	if (access.kind === 'forbidden') error(403, { message: access.message, code: 'FORBIDDEN' });
	return resolve(event);
};

/** The steps, in order, for `sequence(...)`. */
export function createAuthHandles(getAuth: () => Promise<Auth>): Handle[] {
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
