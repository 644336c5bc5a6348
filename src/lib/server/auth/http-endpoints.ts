/**
 * Which of better-auth's own HTTP endpoints (/api/auth/*) answer at all. better-auth mounts
 * dozens: update-user (anyone renames themselves), change-email, the admin plugin's set-role,
 * remove-user, ban-user, set-user-password, impersonate-user... The admin ones skip our rules
 * (the last admin, roles from src/lib/roles.ts), so every staff change goes through tRPC's
 * admin procedures, which call auth.api on the server. The browser needs only to sign in, read
 * its session and sign out; everything else answers 404 before any endpoint runs. Server-side
 * calls (auth.api.*) do not pass through here.
 */
import type { BetterAuthPlugin } from 'better-auth';

export const AUTH_BASE_PATH = '/api/auth';

/** Paths below AUTH_BASE_PATH the browser may reach, exactly as spelled (no trailing slash). */
export const PUBLIC_AUTH_PATHS: readonly string[] = ['/sign-in/email', '/get-session', '/sign-out'];

export function httpAllowList(paths: readonly string[] = PUBLIC_AUTH_PATHS) {
	return {
		id: 'switchboard-http-allow-list',
		onRequest: (request: Request) => {
			const pathname = new URL(request.url).pathname;
			const path = pathname.startsWith(`${AUTH_BASE_PATH}/`) ? pathname.slice(AUTH_BASE_PATH.length) : null;
			if (path !== null && paths.includes(path)) return Promise.resolve(undefined);
			return Promise.resolve({ response: new Response('Not Found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }) });
		}
	} satisfies BetterAuthPlugin;
}
