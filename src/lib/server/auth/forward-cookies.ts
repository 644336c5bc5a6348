/**
 * Copies the cookies a better-auth call answered with (Set-Cookie) onto the framework's cookie
 * jar, so a form action or the session hook can sign in, refresh or sign out without
 * better-auth knowing about SvelteKit.
 */
import { parseSetCookieHeader, toCookieOptions } from 'better-auth/cookies';

type CookieOptions = ReturnType<typeof toCookieOptions> & { path: string };

/** The part of SvelteKit's `Cookies` this needs; structural so this module imports no SvelteKit. */
export interface CookieJar {
	set(name: string, value: string, options: CookieOptions): void;
}

export function forwardCookies(headers: Headers | null | undefined, cookies: CookieJar): void {
	const setCookie = headers?.get('set-cookie');
	if (!setCookie) return;
	for (const [name, attributes] of parseSetCookieHeader(setCookie)) {
		cookies.set(name, attributes.value, { ...toCookieOptions(attributes), path: attributes.path ?? '/' });
	}
}
