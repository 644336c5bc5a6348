/**
 * Where to send someone after sign-in: only a path on this site. Anything else (another host,
 * `//evil.example`, `/\evil.example`, a javascript: URL, the login page itself) becomes `/`.
 */
const BASE = 'http://switchboard.invalid';

export function safeRedirectTarget(value: unknown): string {
	if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
	// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
	if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
	let url: URL;
	try {
		url = new URL(value, BASE);
	} catch {
		return '/';
	}
	if (url.origin !== BASE) return '/';
	if (url.pathname === '/login' || url.pathname === '/logout') return '/';
	return url.pathname + url.search + url.hash;
}
