/**
 * GET /.well-known/jwks.json: the public key Convex verifies this server's tokens with
 * (convex/auth.config.ts). It lives here rather than in the route file because TypeScript's
 * globs skip dot-folders, so src/routes/.well-known/ is neither type-checked nor linted; the
 * route only re-exports this.
 */
import type { RequestHandler } from '@sveltejs/kit';
import { json } from '../http/responses';
import { tokenSignerFor } from './jwt';

export const GET: RequestHandler = ({ locals }) => {
	const signer = tokenSignerFor(locals.services.config);
	if (!signer) return json({ ok: false, code: 'NOT_CONVEX', message: 'No signing key: LIVE is not convex.' }, 404);
	return new Response(JSON.stringify(signer.jwks()), {
		headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' }
	});
};
