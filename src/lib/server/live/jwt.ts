/**
 * Production identity for Convex (LIVE=convex): the server signs short-lived RS256 tokens for
 * the signed-in user (or itself) with the current key and publishes the public keys (current and,
 * during a rotation, next) as a JWKS. Convex reads that JWKS from its CONVEX_AUTH_JWKS
 * environment variable (convex/auth.config.ts), so verifying a token never calls back into this
 * process, which may not be listening yet while start-up hydration runs. node:crypto only.
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import type { Identity } from './identity';

/** Convex's `applicationID`; tokens carry it as `aud`. */
export const CONVEX_AUDIENCE = 'convex';
export const DEFAULT_TOKEN_TTL_SECONDS = 10 * 60;

export interface TokenSignerOptions {
	/** PEM (PKCS#8 or PKCS#1) RSA private key. Escaped newlines (\n) from an env file are accepted. */
	privateKey: string;
	/** The current key's `kid`; defaults to its RFC 7638 thumbprint. */
	keyId?: string | undefined;
	/** The key a rotation moves to (CONVEX_AUTH_PRIVATE_KEY_NEXT): published, not used to sign yet. */
	nextPrivateKey?: string | undefined;
	/** PUBLIC_BASE_URL: the `iss` claim, and where the JWKS is served. */
	issuer: string;
}

export interface SignedToken {
	token: string;
	/** Seconds since the epoch. */
	expiresAt: number;
}

export interface PublicJwk {
	kty: string;
	n: string;
	e: string;
	kid: string;
	alg: 'RS256';
	use: 'sig';
}

export interface TokenSigner {
	sign(identity: Identity, ttlSeconds?: number, now?: number): SignedToken;
	jwks(): { keys: PublicJwk[] };
}

const b64url = (input: string | Buffer) => Buffer.from(input).toString('base64url');

function loadKey(pem: string): KeyObject {
	const key = createPrivateKey(pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem);
	if (key.asymmetricKeyType !== 'rsa') throw new Error('CONVEX_AUTH_PRIVATE_KEY must be an RSA private key (RS256).');
	return key;
}

/** The public half as a JWK; `kid` defaults to the RFC 7638 thumbprint, so each key names itself. */
function publicJwkOf(privateKey: KeyObject, keyId?: string): PublicJwk {
	const { n, e, kty } = createPublicKey(privateKey).export({ format: 'jwk' });
	const thumbprint = createHash('sha256')
		.update(JSON.stringify({ e: String(e), kty: String(kty), n: String(n) }))
		.digest('base64url');
	return { kty: String(kty), n: String(n), e: String(e), kid: keyId ?? thumbprint, alg: 'RS256', use: 'sig' };
}

export function createTokenSigner(options: TokenSignerOptions): TokenSigner {
	const privateKey = loadKey(options.privateKey);
	const current = publicJwkOf(privateKey, options.keyId);
	const next = options.nextPrivateKey ? publicJwkOf(loadKey(options.nextPrivateKey)) : undefined;
	if (next && next.n === current.n) throw new Error('CONVEX_AUTH_PRIVATE_KEY_NEXT must differ from CONVEX_AUTH_PRIVATE_KEY.');
	const keys = next ? [current, next] : [current];
	const issuer = options.issuer.replace(/\/+$/, '');
	const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: current.kid }));
	return {
		sign(identity, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS, now = Date.now()) {
			const iat = Math.floor(now / 1000);
			const exp = iat + ttlSeconds;
			const claims = {
				iss: issuer,
				sub: identity.subject,
				aud: CONVEX_AUDIENCE,
				iat,
				exp,
				role: identity.role,
				...(identity.name ? { name: identity.name } : {})
			};
			const body = `${header}.${b64url(JSON.stringify(claims))}`;
			const signature = sign('sha256', Buffer.from(body), privateKey).toString('base64url');
			return { token: `${body}.${signature}`, expiresAt: exp };
		},
		jwks() {
			return { keys: keys.map((key) => ({ ...key })) };
		}
	};
}

const signers = new WeakMap<object, TokenSigner>();

/** One signer per live config (the key is parsed once); undefined when LIVE is not convex. */
export function tokenSignerFor(config: {
	publicBaseUrl: string;
	live: { adapter: 'local' } | { adapter: 'convex'; privateKey: string; nextPrivateKey?: string | undefined; keyId?: string | undefined };
}): TokenSigner | undefined {
	const live = config.live;
	if (live.adapter !== 'convex') return undefined;
	let signer = signers.get(live);
	if (!signer) {
		signer = createTokenSigner({
			privateKey: live.privateKey,
			nextPrivateKey: live.nextPrivateKey,
			keyId: live.keyId,
			issuer: config.publicBaseUrl
		});
		signers.set(live, signer);
	}
	return signer;
}
