/**
 * Production identity (LIVE=convex): Convex trusts short-lived RS256 tokens that the
 * Switchboard server signs for the signed-in user (claims sub, role, name).
 *
 * The public keys come from the deployment's CONVEX_AUTH_JWKS environment variable (the JWKS
 * `npm run --silent convex:jwks` prints: the current key and, during a rotation, the next), handed
 * to Convex as a data: URI. Fetching them from the app's /.well-known/jwks.json instead would make
 * every start wait on itself: start-up hydration calls Convex, and Convex would call back into a
 * server that only listens once hydration is done. PUBLIC_BASE_URL must equal the app's own: the
 * tokens carry it as their issuer.
 */
import type { AuthConfig } from 'convex/server';
import { jwksSource } from './lib/authJwks';

const issuer = (process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');

export default {
	providers: [
		{
			type: 'customJwt',
			applicationID: 'convex',
			issuer,
			jwks: jwksSource(process.env.CONVEX_AUTH_JWKS, issuer),
			algorithm: 'RS256'
		}
	]
} satisfies AuthConfig;
