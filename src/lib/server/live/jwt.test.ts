import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTokenSigner, tokenSignerFor } from './jwt';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function decode(token: string) {
	const [header, body, signature] = token.split('.');
	return {
		header: JSON.parse(Buffer.from(header!, 'base64url').toString()) as Record<string, unknown>,
		claims: JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>,
		signed: `${header}.${body}`,
		signature: Buffer.from(signature!, 'base64url')
	};
}

describe('Convex token signer', () => {
	const signer = createTokenSigner({ privateKey: pem, keyId: 'k1', issuer: 'https://calls.example.com/' });

	it('signs RS256 tokens with the claims Convex custom JWT auth checks, verifiable with the published JWKS', () => {
		const now = Date.UTC(2030, 0, 1);
		const { token, expiresAt } = signer.sign({ subject: 'user-1', role: 'agent', name: 'Ann' }, 600, now);
		const { header, claims, signed, signature } = decode(token);
		expect(header).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
		expect(claims).toEqual({
			iss: 'https://calls.example.com',
			sub: 'user-1',
			aud: 'convex',
			iat: now / 1000,
			exp: now / 1000 + 600,
			role: 'agent',
			name: 'Ann'
		});
		expect(expiresAt).toBe(now / 1000 + 600);
		const [jwk] = signer.jwks().keys;
		expect(jwk).toMatchObject({ kty: 'RSA', kid: 'k1', alg: 'RS256', use: 'sig' });
		expect(JSON.stringify(jwk)).not.toContain('"d"');
		const key = createPublicKey({ key: jwk as never, format: 'jwk' });
		expect(verify('sha256', Buffer.from(signed), key, signature)).toBe(true);
		expect(verify('sha256', Buffer.from(`${signed}x`), key, signature)).toBe(false);
	});

	it('accepts a PEM whose newlines were escaped in an env file, and refuses a non-RSA key', () => {
		expect(() => createTokenSigner({ privateKey: pem.replace(/\n/g, '\\n'), keyId: 'k', issuer: 'https://x' })).not.toThrow();
		const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		expect(() => createTokenSigner({ privateKey: ec, keyId: 'k', issuer: 'https://x' })).toThrow(/RSA/);
	});

	it('publishes the next key beside the current one so a rotation has no gap, and names keys by thumbprint', () => {
		const next = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		const rotating = createTokenSigner({ privateKey: pem, nextPrivateKey: next, issuer: 'https://x' });
		const [current, upcoming] = rotating.jwks().keys;
		expect(rotating.jwks().keys).toHaveLength(2);
		expect(current!.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect(upcoming!.kid).not.toBe(current!.kid);
		expect(decode(rotating.sign({ subject: 'u', role: 'agent' }).token).header.kid).toBe(current!.kid);
		// After the swap the former next key signs, under the kid Convex already holds for it.
		const swapped = createTokenSigner({ privateKey: next, nextPrivateKey: undefined, issuer: 'https://x' });
		expect(decode(swapped.sign({ subject: 'u', role: 'agent' }).token).header.kid).toBe(upcoming!.kid);
		expect(() => createTokenSigner({ privateKey: pem, nextPrivateKey: pem, issuer: 'https://x' })).toThrow(/must differ/);
	});

	it('has no signer unless LIVE is convex, and one per live config otherwise', () => {
		expect(tokenSignerFor({ publicBaseUrl: 'http://localhost:3000', live: { adapter: 'local' } })).toBeUndefined();
		const config = { publicBaseUrl: 'https://x', live: { adapter: 'convex' as const, privateKey: pem, keyId: 'k' } };
		expect(tokenSignerFor(config)).toBe(tokenSignerFor(config));
	});
});
