/**
 * Prints the JWKS Convex verifies Switchboard's tokens with, from CONVEX_AUTH_PRIVATE_KEY and,
 * during a rotation, CONVEX_AUTH_PRIVATE_KEY_NEXT (public halves only). Store it on the deployment:
 *   npx convex env set CONVEX_AUTH_JWKS "$(npm run --silent convex:jwks)"
 */
import { createTokenSigner } from '../src/lib/server/live/jwt';

const privateKey = process.env.CONVEX_AUTH_PRIVATE_KEY?.trim();
if (!privateKey) {
	console.error('Set CONVEX_AUTH_PRIVATE_KEY (and CONVEX_AUTH_PRIVATE_KEY_NEXT while rotating) first.');
	process.exit(1);
}
const signer = createTokenSigner({
	privateKey,
	nextPrivateKey: process.env.CONVEX_AUTH_PRIVATE_KEY_NEXT?.trim() || undefined,
	keyId: process.env.CONVEX_AUTH_KEY_ID?.trim() || undefined,
	issuer: process.env.PUBLIC_BASE_URL ?? 'http://localhost:3000'
});
console.log(JSON.stringify(signer.jwks()));
