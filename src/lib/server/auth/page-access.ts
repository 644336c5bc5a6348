/**
 * Who may open which path, decided before any route runs. Everything needs a signed-in staff
 * member unless it is on the public list; some areas need a role on top. API paths answer 401
 * JSON rather than redirecting to the login page.
 */
import { roleAllows, type Guard } from '../../roles';
import type { SessionUser } from './session-user';

/**
 * Paths anyone may reach, with everything below them: sign-in, webhooks and the local carrier's
 * Twilio REST paths (they check their own signatures and Basic credentials), signed file URLs,
 * hold music (the carrier fetches it without a session), health, and static files (served before
 * hooks in both dev and adapter-node, listed for when one is not). tRPC guards each procedure
 * itself (agentProcedure, adminProcedure...) and answers 401/403 in its own JSON. The carrier's
 * scenario API and the customer phone (/phone) are not here: they read every call and text and
 * place traffic, so they need a staff session (or, for the carrier, its own Basic credentials:
 * see carrier-client.ts).
 */
const PUBLIC = [
	'/login',
	'/logout',
	'/api/auth',
	'/api/trpc',
	'/webhooks',
	'/carrier/2010-04-01',
	'/.well-known',
	'/files',
	'/audio',
	'/healthz',
	'/_app',
	'/favicon.ico',
	'/favicon.png',
	'/favicon.svg',
	'/robots.txt'
];

/** Paths answered with 401 JSON rather than a redirect to the login page: scripts and fetches call them. */
const API = ['/api', '/phone/api', '/carrier'];

/** The carrier's catch-all route hands the path itself to the carrier, so the path alone decides. */
export const CARRIER_ROUTE_ID = '/carrier/[...path]';

/** Page areas that need more than being signed in; the first match wins. */
export const PAGE_ROLE_GUARDS: readonly { prefix: string; guard: Guard; message: string }[] = [
	{ prefix: '/admin', guard: 'admin', message: 'Only admins can open this page.' },
	{ prefix: '/wallboard', guard: 'manager', message: 'The wallboard is for managers, supervisors and admins.' },
	{ prefix: '/quality/calls', guard: 'manager', message: 'Calls are reviewed by managers and supervisors; your own scorecards are under Quality.' },
	{ prefix: '/sms/canned', guard: 'manager', message: 'Canned responses are written by managers; agents insert them from the composer.' }
];

export type Access =
	| { kind: 'allow' }
	| { kind: 'sign-in'; location: string }
	| { kind: 'unauthorized' }
	| { kind: 'forbidden'; message: string };

export interface AccessRequest {
	/** event.url.pathname, as the browser sent it (possibly percent-encoded). */
	pathname: string;
	search: string;
	/** event.route.id, e.g. `/(app)/admin/users`; null when no route matched. */
	routeId: string | null;
}

/** `/admin` covers `/admin` and `/admin/users`, not `/administrators`. */
function under(pathname: string, prefix: string): boolean {
	return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** Decode the way Kit does before matching routes, so `/%61dmin` is judged as `/admin`. */
function decodePathname(pathname: string): string {
	try {
		return pathname.split('%25').map(decodeURI).join('%25');
	} catch {
		return pathname;
	}
}

/**
 * The paths to judge: the decoded URL path and the matched route's path without its (groups).
 * Both must be public for a request to skip sign-in, and a role area applies if either is in it.
 */
function candidates(request: AccessRequest): string[] {
	const paths = [decodePathname(request.pathname)];
	if (request.routeId && request.routeId !== CARRIER_ROUTE_ID) paths.push(request.routeId.replace(/\/\([^/]+\)/g, '') || '/');
	return paths;
}

export function decideAccess(request: AccessRequest, user: SessionUser | null): Access {
	const paths = candidates(request);
	if (paths.every((path) => PUBLIC.some((p) => under(path, p)))) return { kind: 'allow' };
	if (paths.some((path) => API.some((p) => under(path, p)))) return user ? { kind: 'allow' } : { kind: 'unauthorized' };
	if (!user) return { kind: 'sign-in', location: `/login?redirectTo=${encodeURIComponent(request.pathname + request.search)}` };
	const area = PAGE_ROLE_GUARDS.find((g) => paths.some((path) => under(path, g.prefix)));
	if (area && !roleAllows(area.guard, user.role)) return { kind: 'forbidden', message: area.message };
	return { kind: 'allow' };
}
