/**
 * LIVE=convex against a stand-in deployment: a fetch that checks each request's token the way
 * Convex's custom JWT provider does (signature from the JWKS, iss, aud, exp), then runs the
 * function on the local engine as the token's identity and answers in Convex's wire format.
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFunctionReference } from 'convex/server';
import { convexToJson, jsonToConvex, type JSONValue, type Value } from 'convex/values';
import { api } from '$convex/_generated/api';
import { AppError } from '../errors';
import { createConvexHotState, createLocalHotState, errorFromWire, SYSTEM_IDENTITY, type HotState, type Identity } from './hot';
import { createTokenSigner } from './jwt';

const ISSUER = 'https://calls.example.com';
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const signer = createTokenSigner({ privateKey: pem, keyId: 'k1', issuer: ISSUER });

let engine: HotState;
let convex: HotState;
const seenTokens: Record<string, unknown>[] = [];

/** What a Convex deployment with convex/auth.config.ts would derive from the bearer token, or why it refuses it. */
function identityFromToken(authorization: string | null): Identity {
	const token = authorization?.replace(/^Bearer /, '') ?? '';
	const [h, b, s] = token.split('.');
	const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as { kid: string; alg: string };
	const jwk = signer.jwks().keys.find((k) => k.kid === header.kid);
	if (!jwk || header.alg !== 'RS256') throw new Error('unknown key');
	if (
		!verify(
			'sha256',
			Buffer.from(`${h}.${b}`),
			createPublicKey({ key: jwk as never, format: 'jwk' }),
			Buffer.from(s ?? '', 'base64url')
		)
	) {
		throw new Error('bad signature');
	}
	const claims = JSON.parse(Buffer.from(b ?? '', 'base64url').toString()) as Record<string, unknown>;
	if (claims.iss !== ISSUER || claims.aud !== 'convex' || (claims.exp as number) * 1000 < Date.now())
		throw new Error('bad claims');
	seenTokens.push(claims);
	return { subject: String(claims.sub), role: claims.role as Identity['role'], name: claims.name as string | undefined };
}

const fakeConvex: typeof fetch = async (input, init) => {
	const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
	const kind = url.pathname.endsWith('/mutation') ? 'mutation' : 'query';
	const body = JSON.parse(init?.body as string) as { path: string; args: JSONValue[] };
	let identity: Identity;
	try {
		identity = identityFromToken(new Headers(init?.headers).get('authorization'));
	} catch (error) {
		return new Response(String(error), { status: 401 });
	}
	const ref = makeFunctionReference<typeof kind>(body.path);
	const args = jsonToConvex(body.args[0] ?? {}) as Record<string, Value>;
	try {
		const value =
			kind === 'query'
				? await engine.query(ref as never, args as never, identity)
				: await engine.mutation(ref as never, args as never, identity);
		return Response.json({ status: 'success', value: convexToJson(value), logLines: [] });
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		const errorData = {
			kind: error.kind === 'UNAUTHORIZED' ? 'UNAUTHENTICATED' : error.kind,
			code: error.code,
			message: error.message
		};
		return Response.json({ status: 'error', errorMessage: error.message, errorData, logLines: [] }, { status: 560 });
	}
};

beforeAll(async () => {
	engine = await createLocalHotState();
	convex = createConvexHotState('https://happy-otter-123.convex.cloud', signer, fakeConvex);
});
afterAll(async () => {
	await convex.close();
	await engine.close();
});

describe('LIVE=convex hot state', () => {
	it('calls functions as the given identity through signed tokens', async () => {
		const me: Identity = { subject: 'cx-ann', role: 'agent', name: 'Ann' };
		await expect(convex.mutation(api.agentStatus.setMine, { status: 'away' }, me)).resolves.toMatchObject({
			userId: 'cx-ann',
			name: 'Ann',
			status: 'away'
		});
		await expect(convex.query(api.agentStatus.mine, {}, me)).resolves.toMatchObject({ status: 'away' });
		expect(seenTokens.at(-1)).toMatchObject({ sub: 'cx-ann', role: 'agent', name: 'Ann', iss: ISSUER, aud: 'convex' });
		await expect(
			convex.mutation(api.agentStatus.hydrate, { agents: [{ userId: 'cx-bob', name: 'Bob', role: 'agent' }], removeMissing: false }, SYSTEM_IDENTITY)
		).resolves.toEqual({ inserted: 1, updated: 0, removed: 0 });
	});

	it('turns a function refusal into the same AppError as the local engine', async () => {
		const call = convex.mutation(
			api.agentSkills.setForAgent,
			{ userId: 'cx-ann', skills: [] },
			{ subject: 'cx-ann', role: 'agent' }
		);
		await expect(call).rejects.toBeInstanceOf(AppError);
		await expect(call).rejects.toMatchObject({
			kind: 'FORBIDDEN',
			code: 'FORBIDDEN',
			message: 'This needs the admin role; you are signed in as agent.'
		});
		const anonymous = errorFromWire({ kind: 'UNAUTHENTICATED', code: 'UNAUTHENTICATED', message: 'Sign in to continue.' });
		expect(anonymous).toMatchObject({ kind: 'UNAUTHORIZED', code: 'UNAUTHENTICATED' });
	});

	it('leaves subscriptions to the browsers', () => {
		expect(() =>
			convex.subscribe(
				api.agentStatus.list,
				{},
				SYSTEM_IDENTITY,
				() => {},
				() => {}
			)
		).toThrow(/LIVE=local/);
		expect(convex.describe('agentStatus:list')).toBeUndefined();
	});
});
