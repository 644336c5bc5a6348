/**
 * LIVE=convex end to end on the server side: createHotState with a LIVE=convex config against
 * a stand-in deployment over HTTP (convex-stand-in.fixtures.ts) that checks tokens as Convex
 * does, from the JWKS in its environment. The app itself never listens here, exactly as during
 * a real start (adapter-node listens only after init, which waits on hydration).
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { jwksSource } from '$convex/lib/authJwks';
import { createTestDb, type TestDb } from '../db/test-db';
import { user } from '../db/schema/auth';
import type { Config } from '../env';
import { createHotState, createLocalHotState, SYSTEM_IDENTITY, type HotState } from './hot';
import { createTokenSigner } from './jwt';
import { rebuildHotState } from './rebuild-hot-state';
import { startConvexStandIn, type StandIn } from './convex-stand-in.fixtures';

const ISSUER = 'https://calls.example.com';
const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const current = pem();
const next = pem();
/** CONVEX_AUTH_JWKS on the deployment, as `npm run convex:jwks` prints it. */
const deploymentJwks = JSON.stringify(createTokenSigner({ privateKey: current, nextPrivateKey: next, issuer: ISSUER }).jwks());

const configFor = (url: string, privateKey = current, nextPrivateKey: string | null = next) =>
	({ publicBaseUrl: ISSUER, live: { adapter: 'convex', url, privateKey, nextPrivateKey: nextPrivateKey ?? undefined } }) as unknown as Config;

let testDb: TestDb;
let engine: HotState;
let standIn: StandIn;

beforeAll(async () => {
	[testDb, engine] = await Promise.all([createTestDb(), createLocalHotState()]);
	standIn = await startConvexStandIn({ engine, jwks: jwksSource(deploymentJwks, ISSUER), issuer: ISSUER });
	await testDb.db.insert(user).values([
		{ id: 'u-ann', name: 'Ann Agent', email: 'ann@example.com', role: 'agent' },
		{ id: 'u-sue', name: 'Sue Supervisor', email: 'sue@example.com', role: 'supervisor' }
	]);
});
afterAll(async () => {
	await Promise.all([standIn?.close(), engine?.close(), testDb?.close()]);
});

const sue = { subject: 'u-sue', role: 'supervisor' as const, name: 'Sue Supervisor' };

describe('LIVE=convex start', () => {
	it('starts against an empty deployment and hydrates it without Convex calling back into the app', async () => {
		const hot = await createHotState(configFor(standIn.url));
		await rebuildHotState({ db: testDb.db, hot });
		expect((await hot.query(api.agentStatus.list, {}, sue)).map((a) => [a.userId, a.status])).toEqual([
			['u-ann', 'offline'],
			['u-sue', 'offline']
		]);
		expect(standIn.load.jwksFetches).toBe(0);
		await hot.mutation(api.agentStatus.setMine, { status: 'away' }, { subject: 'u-ann', role: 'agent', name: 'Ann Agent' });
		await hot.close();
	});

	it('restarts, with the next key now signing (rotation), and keeps what the deployment knows', async () => {
		const hot = await createHotState(configFor(standIn.url, next, null));
		await rebuildHotState({ db: testDb.db, hot });
		expect((await hot.query(api.agentStatus.list, {}, sue)).map((a) => [a.userId, a.status])).toEqual([
			['u-ann', 'away'],
			['u-sue', 'offline']
		]);
		await hot.close();
	});

	it('serves 50 concurrent mutations of the system identity side by side, not in one line', async () => {
		const hot = await createHotState(configFor(standIn.url));
		standIn.load.peak = 0;
		standIn.holdUntil(50);
		try {
			const agents = Array.from({ length: 50 }, (_, i) => ({ userId: `u-burst-${i}`, name: `Burst ${i}`, role: 'agent' as const }));
			await Promise.all(agents.map((a) => hot.mutation(api.agentStatus.hydrate, { agents: [a], removeMissing: false }, SYSTEM_IDENTITY)));
		} finally {
			standIn.holdUntil(undefined);
		}
		expect(standIn.load.peak).toBe(50);
		await hot.close();
	});

	it('refuses to start against a Convex URL that does not answer, saying what to fix', async () => {
		await expect(createHotState(configFor('http://127.0.0.1:9'))).rejects.toThrow(
			/LIVE=convex: http:\/\/127\.0\.0\.1:9 did not accept the start-up check \(.+\)\. Check PUBLIC_CONVEX_URL/
		);
	});

	it('refuses to start when the deployment does not know the signing key, naming CONVEX_AUTH_JWKS', async () => {
		await expect(createHotState(configFor(standIn.url, pem(), null))).rejects.toThrow(/set CONVEX_AUTH_JWKS on the deployment/);
	});
});
