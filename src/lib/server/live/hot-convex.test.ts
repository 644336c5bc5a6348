/**
 * LIVE=convex against a stand-in deployment: a fetch that checks each request's token the way
 * Convex's custom JWT provider does (signature from the JWKS that convex/auth.config.ts hands
 * it, here the data: URI made from CONVEX_AUTH_JWKS, then iss, aud, exp), runs the function on
 * the local engine as the token's identity and answers in Convex's wire format.
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFunctionReference } from 'convex/server';
import { convexToJson, jsonToConvex, type JSONValue, type Value } from 'convex/values';
import { api } from '$convex/_generated/api';
import { jwksSource } from '$convex/lib/authJwks';
import { AppError } from '../errors';
import { createConvexHotState, createLocalHotState, errorFromWire, probeConvex, SYSTEM_IDENTITY, type HotState, type Identity } from './hot';
import { createTokenSigner, type PublicJwk } from './jwt';
import { DEFAULT_CONVEX_TIMEOUT_MS } from './convex-hot-state';

const ISSUER = 'https://calls.example.com';
const newPem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pem = newPem();
const nextPem = newPem();
const signer = createTokenSigner({ privateKey: pem, nextPrivateKey: nextPem, issuer: ISSUER });

/** What convex/auth.config.ts gives Convex with CONVEX_AUTH_JWKS set on the deployment: no URL into this app. */
const jwksUri = jwksSource(JSON.stringify(signer.jwks()), ISSUER);

function keysFromDataUri(uri: string): PublicJwk[] {
	const match = /^data:text\/plain;charset=utf-8;base64,(.+)$/.exec(uri);
	if (!match) throw new Error(`not a data: URI JWKS: ${uri}`);
	return (JSON.parse(Buffer.from(match[1]!, 'base64').toString('utf8')) as { keys: PublicJwk[] }).keys;
}

let engine: HotState;
let convex: HotState;
const seenTokens: Record<string, unknown>[] = [];
/** Requests the stand-in is answering right now, and the most it ever answered at once. */
const load = { inFlight: 0, peak: 0 };

/** What a Convex deployment with convex/auth.config.ts would derive from the bearer token, or why it refuses it. */
function identityFromToken(authorization: string | null): Identity {
	const token = authorization?.replace(/^Bearer /, '') ?? '';
	const [h, b, s] = token.split('.');
	const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString()) as { kid: string; alg: string };
	const jwk = keysFromDataUri(jwksUri).find((k) => k.kid === header.kid);
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
		// Convex's answer to a token it cannot verify.
		const message = `Could not verify token claim: ${String(error)}`;
		return Response.json({ code: 'Unauthenticated', message }, { status: 401 });
	}
	const ref = makeFunctionReference<typeof kind>(body.path);
	const args = jsonToConvex(body.args[0] ?? {}) as Record<string, Value>;
	load.inFlight++;
	load.peak = Math.max(load.peak, load.inFlight);
	// Answer only after the current burst has been sent, so calls that overlap are seen overlapping.
	await new Promise((resolve) => setImmediate(resolve));
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
	} finally {
		load.inFlight--;
	}
};

beforeAll(async () => {
	engine = await createLocalHotState();
	convex = createConvexHotState('https://happy-otter-123.convex.cloud', signer, { fetch: fakeConvex });
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
			message: 'Only the Switchboard server may call this function.'
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

describe('LIVE=convex start-up and load', () => {
	it('verifies tokens from the JWKS in the deployment environment, both current and next key published', () => {
		const keys = keysFromDataUri(jwksUri);
		expect(keys).toHaveLength(2);
		expect(new Set(keys.map((k) => k.kid)).size).toBe(2);
		expect(jwksSource(undefined, ISSUER)).toBe(`${ISSUER}/.well-known/jwks.json`);
	});

	it('passes the start-up check against a deployment that has never seen this server', async () => {
		await expect(probeConvex(convex, 'https://happy-otter-123.convex.cloud')).resolves.toBeUndefined();
	});

	it('sends 50 of the system identity mutations at once instead of one after another', async () => {
		load.peak = 0;
		const agents = Array.from({ length: 50 }, (_, i) => ({ userId: `cx-load-${i}`, name: `Load ${i}`, role: 'agent' as const }));
		const results = await Promise.all(
			agents.map((agent) => convex.mutation(api.agentStatus.hydrate, { agents: [agent], removeMissing: false }, SYSTEM_IDENTITY))
		);
		expect(results.every((r) => r.inserted === 1)).toBe(true);
		expect(load.peak).toBe(50);
	});

	it('gives up on a call Convex does not answer, saying which function and how long it waited', async () => {
		const silent: typeof fetch = (_input, init) =>
			new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
		const hot = createConvexHotState('https://happy-otter-123.convex.cloud', signer, { fetch: silent, timeoutMs: 50 });
		await expect(hot.mutation(api.agentStatus.hydrate, { agents: [], removeMissing: false }, SYSTEM_IDENTITY)).rejects.toThrow(
			'Convex did not answer agentStatus:hydrate within 50 ms'
		);
	});

	it('by default gives up well inside Twilio\'s 15 s webhook limit, so a call still gets its queue TwiML', async () => {
		const silent: typeof fetch = (_input, init) =>
			new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error)));
		const hot = createConvexHotState('https://happy-otter-123.convex.cloud', signer, { fetch: silent });
		const started = Date.now();
		await expect(hot.mutation(api.agentStatus.hydrate, { agents: [], removeMissing: false }, SYSTEM_IDENTITY)).rejects.toThrow(
			`Convex did not answer agentStatus:hydrate within ${DEFAULT_CONVEX_TIMEOUT_MS} ms`
		);
		expect(Date.now() - started).toBeLessThan(10_000);
	}, 12_000);

	it('refuses to start against a Convex URL that does not answer, naming the setting to fix', async () => {
		const refused: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
		const hot = createConvexHotState('https://wrong-name-1.convex.cloud', signer, { fetch: refused });
		await expect(probeConvex(hot, 'https://wrong-name-1.convex.cloud')).rejects.toThrow(
			/https:\/\/wrong-name-1\.convex\.cloud did not accept the start-up check \(fetch failed\)\. Check PUBLIC_CONVEX_URL/
		);
	});

	it('names CONVEX_AUTH_JWKS when the deployment refuses the server token', async () => {
		const other = createTokenSigner({ privateKey: newPem(), issuer: ISSUER });
		const hot = createConvexHotState('https://happy-otter-123.convex.cloud', other, { fetch: fakeConvex });
		await expect(probeConvex(hot, 'https://happy-otter-123.convex.cloud')).rejects.toThrow(/set CONVEX_AUTH_JWKS on the deployment/);
	});
});
