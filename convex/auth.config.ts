/**
 * Production identity (LIVE=convex): Convex trusts short-lived RS256 tokens that the
 * Switchboard server signs for the signed-in user (claims sub, role, name) and publishes keys
 * for at /.well-known/jwks.json. Set PUBLIC_BASE_URL on the Convex deployment to the app's
 * public URL (`npx convex env set PUBLIC_BASE_URL https://calls.example.com`); it must equal
 * the app's own PUBLIC_BASE_URL, which the tokens carry as their issuer.
 */
import type { AuthConfig } from 'convex/server';

const issuer = (process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');

export default {
	providers: [
		{
			type: 'customJwt',
			applicationID: 'convex',
			issuer,
			jwks: `${issuer}/.well-known/jwks.json`,
			algorithm: 'RS256'
		}
	]
} satisfies AuthConfig;
