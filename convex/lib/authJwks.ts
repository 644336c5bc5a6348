/**
 * Where Convex's customJwt provider reads Switchboard's public keys (convex/auth.config.ts): the
 * CONVEX_AUTH_JWKS text as a data: URI (Convex accepts `jwks: "data:..."`), or, when it is not set,
 * the app's own /.well-known/jwks.json.
 */
export function jwksSource(jwks: string | undefined, issuer: string): string {
	if (!jwks?.trim()) return `${issuer}/.well-known/jwks.json`;
	const bytes = new TextEncoder().encode(jwks.trim());
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return `data:text/plain;charset=utf-8;base64,${btoa(binary)}`;
}
