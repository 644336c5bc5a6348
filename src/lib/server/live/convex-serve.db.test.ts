/**
 * Issue 19's acceptance at the services level: the server's own start (createServices, what the
 * built app's hooks run before adapter-node listens) with LIVE=convex against a stand-in
 * deployment (convex-stand-in.fixtures.ts) that checks every token as Convex does (signature
 * against the JWKS, iss = PUBLIC_BASE_URL, aud, exp). The server starts from an empty deployment
 * and an empty archive, is closed and started again on the same archive, then answers 50
 * concurrent signed incoming-call webhooks through the production handler, whose routeInbound
 * mutations the deployment sees side by side rather than one after another.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, count, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { jwksSource } from '$convex/lib/authJwks';
import { HANDLERS } from '../calls/test-harness';
import { VOICE_PATHS } from '../calls/voice-paths';
import { callEvents, calls, voiceQueues } from '../db/schema/calls';
import { parseConfig, type Config } from '../env';
import { createServices, type Services } from '../services';
import { signedRequest } from '../webhooks/test-requests';
import { createConvexHotState, createLocalHotState, SYSTEM_IDENTITY, type HotState } from './hot';
import { GET as jwksEndpoint } from './jwks-endpoint';
import { createTokenSigner, tokenSignerFor } from './jwt';
import { startConvexStandIn, type StandIn } from './convex-stand-in.fixtures';

const ISSUER = 'https://calls.example.com';
const SALES = '+14155550100';
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const signer = createTokenSigner({ privateKey, issuer: ISSUER });
const dataDir = mkdtempSync(path.join(tmpdir(), 'switchboard-convex-serve-'));

/** The production environment of one server process: LIVE=convex, the archive on disk in DATA_DIR. */
const configFor = (convexUrl: string): Config =>
	parseConfig({
		LIVE: 'convex',
		PUBLIC_CONVEX_URL: convexUrl,
		CONVEX_AUTH_PRIVATE_KEY: privateKey,
		PUBLIC_BASE_URL: ISSUER,
		TELEPHONY: 'local',
		TWILIO_ACCOUNT_SID: `AC${'7'.repeat(32)}`,
		TWILIO_AUTH_TOKEN: 'convex-serve-token',
		AUTH_SECRET: 'convex-serve-secret-at-least-32-characters',
		I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC: 'true',
		DEMO_DATA: 'false',
		// The first admin, created on the empty archive at the first start; hydration brings them to the deployment.
		ADMIN_EMAIL: 'ada@example.com',
		ADMIN_PASSWORD: 'convex-serve-admin-password',
		ADMIN_NAME: 'Ada Admin',
		DATA_DIR: dataDir,
		LOG_LEVEL: 'error'
	});

let engine: HotState;
let standIn: StandIn;
let services: Services | undefined;

beforeAll(async () => {
	engine = await createLocalHotState();
	// The deployment's CONVEX_AUTH_JWKS, handed over as auth.config.ts does.
	standIn = await startConvexStandIn({ engine, jwks: jwksSource(JSON.stringify(signer.jwks()), ISSUER), issuer: ISSUER, holdMs: 5_000 });
});
afterAll(async () => {
	await services?.close();
	await Promise.all([standIn?.close(), engine?.close()]);
});

const SUPERVISOR = { subject: 'u-sue', role: 'supervisor' as const, name: 'Sue' };
const callSid = (i: number) => `CA${i.toString(16).padStart(32, '0')}`;

function incomingCall(s: Services, i: number): Promise<Response> {
	const params = { CallSid: callSid(i), AccountSid: s.adapters.telephony.accountSid, From: `+1415555${(1000 + i).toString()}`, To: SALES, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01' };
	const { request, url } = signedRequest(s.adapters.telephony, { path: VOICE_PATHS.incoming, params, publicBaseUrl: ISSUER });
	return HANDLERS[VOICE_PATHS.incoming]!(s, request, url);
}

describe('LIVE=convex: the server starts, restarts and serves incoming calls', () => {
	it('starts from an empty deployment and an empty archive', async () => {
		expect(await engine.query(api.agentStatus.list, {}, SUPERVISOR)).toEqual([]);
		services = await createServices(configFor(standIn.url));
		expect(services.hot.mode).toBe('convex');
		// Start-up spoke to the deployment (probe, hydration) with tokens it accepted.
		expect(standIn.load.byPath['health:ping']?.requests).toBe(1);
		expect(standIn.load.requests).toBeGreaterThan(1);
		expect((await engine.query(api.agentStatus.list, {}, SUPERVISOR)).map((a) => [a.name, a.status])).toEqual([['Ada Admin', 'offline']]);
		await services.db.insert(voiceQueues).values({ number: SALES, name: 'sales', requiredSkills: [], ringSeconds: 20 });
	});

	it('closes and starts again on the same archive and deployment', async () => {
		await services!.close();
		services = undefined;
		services = await createServices(configFor(standIn.url));
		expect(standIn.load.byPath['health:ping']?.requests).toBe(2);
		expect((await engine.query(api.agentStatus.list, {}, SUPERVISOR)).map((a) => [a.name, a.status])).toEqual([['Ada Admin', 'offline']]);
	});

	it('answers 50 concurrent incoming calls with TwiML, their routeInbound mutations in flight together, each call archived once', async () => {
		const s = services!;
		standIn.holdUntil(50, 'callLine:routeInbound');
		let responses: Response[];
		try {
			responses = await Promise.all(Array.from({ length: 50 }, (_, i) => incomingCall(s, i)));
		} finally {
			standIn.holdUntil(undefined);
		}
		const bodies = await Promise.all(responses.map((r) => r.text()));
		for (const [i, r] of responses.entries()) {
			expect(r.status).toBe(200);
			expect(r.headers.get('content-type')).toMatch(/xml/);
			expect(bodies[i]).toMatch(/<Enqueue[^>]*>sales<\/Enqueue>/);
		}
		const routed = standIn.load.byPath['callLine:routeInbound']!;
		expect(routed.requests).toBe(50);
		// Not timings: the deployment itself saw the mutations overlap (a one-line client tops out at 1).
		expect(routed.peak).toBeGreaterThanOrEqual(10);
		const sids = Array.from({ length: 50 }, (_, i) => callSid(i));
		const [archived] = await s.db.select({ n: count() }).from(calls).where(inArray(calls.callSid, sids));
		expect(archived?.n).toBe(50);
		const perKind = async (kind: string) =>
			(await s.db.select({ n: count() }).from(callEvents).innerJoin(calls, eq(calls.id, callEvents.callId)).where(and(inArray(calls.callSid, sids), eq(callEvents.kind, kind))))[0]?.n;
		// One received and one queued event per call: every routing decision came back from the deployment.
		expect(await perKind('received')).toBe(50);
		expect(await perKind('queued')).toBe(50);
		// And the deployment holds each caller in line once.
		const waiting = (await engine.query(api.callBoard.board, {}, SUPERVISOR)).waiting.map((w) => w.callSid);
		expect([...waiting].sort()).toEqual(sids);
	});
});

describe('the stand-in checks tokens as Convex does', () => {
	const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
	const forge = (claims: Record<string, unknown>, key = privateKey) => {
		const kid = signer.jwks().keys[0]!.kid;
		const body = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
		return `${body}.${sign('sha256', Buffer.from(body), key).toString('base64url')}`;
	};
	const now = Math.floor(Date.now() / 1000);
	const good = { iss: ISSUER, aud: 'convex', sub: 'switchboard', role: 'system', iat: now, exp: now + 600 };
	const ping = (token: string) =>
		fetch(`${standIn.url}/api/query`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify({ path: 'health:ping', format: 'convex_encoded_json', args: [{}] })
		});

	it.each([
		['another issuer', { ...good, iss: 'https://elsewhere.example.com' }],
		['another audience', { ...good, aud: 'not-convex' }],
		['an expired token', { ...good, exp: now - 1 }],
		['no exp', { ...good, exp: undefined }]
	])('refuses %s', async (_, claims) => {
		expect((await ping(forge(claims))).status).toBe(401);
	});

	it('refuses a signature by a key the JWKS does not hold, and accepts the real one', async () => {
		const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		expect((await ping(forge(good, stranger))).status).toBe(401);
		expect((await ping(forge(good))).status).toBe(200);
	});

	it('without CONVEX_AUTH_JWKS fetches the keys from PUBLIC_BASE_URL/.well-known/jwks.json (the app route), once', async () => {
		// The app's own JWKS route, answering for a server whose PUBLIC_BASE_URL is this address.
		let config: Config | undefined;
		const app: Server = createServer((req, res) => {
			void (async () => {
				const url = new URL(req.url ?? '/', 'http://app');
				const response =
					url.pathname === '/.well-known/jwks.json' && config
						? await jwksEndpoint({ locals: { services: { config } } } as never)
						: new Response('not found', { status: 404 });
				res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
			})();
		});
		await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
		const deployment = await startConvexStandIn({ engine, jwks: jwksSource(undefined, base), issuer: base });
		try {
			config = parseConfig({ LIVE: 'convex', PUBLIC_CONVEX_URL: deployment.url, CONVEX_AUTH_PRIVATE_KEY: privateKey, PUBLIC_BASE_URL: base, DEMO_DATA: 'false', LOG_LEVEL: 'error' });
			const hot = createConvexHotState(deployment.url, tokenSignerFor(config)!);
			await Promise.all(Array.from({ length: 5 }, () => hot.query(api.health.ping, {}, SYSTEM_IDENTITY)));
			expect(deployment.load.byPath['health:ping']?.requests).toBe(5);
			expect(deployment.load.jwksFetches).toBe(1);
			await hot.close();
		} finally {
			await deployment.close();
			await new Promise<void>((resolve) => app.close(() => resolve()));
		}
	});
});
