/**
 * Headers every response carries. The Content-Security-Policy comes from kit.csp in
 * svelte.config.js, which can hash or nonce SvelteKit's inline bootstrap script.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'strict-origin-when-cross-origin',
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin',
	// The softphone needs the microphone on this origin only; nothing here uses the camera or location.
	'Permissions-Policy': 'microphone=(self), camera=(), geolocation=(), payment=()'
};

/** Add the headers a response does not already set (a route may choose its own). */
export function applySecurityHeaders(headers: Headers): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!headers.has(name)) headers.set(name, value);
	}
}
