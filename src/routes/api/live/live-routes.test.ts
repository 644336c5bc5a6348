/** The live routes' wiring: sign-in required, local-only endpoints, and the Convex token and JWKS. */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalHotState, type HotState } from '$lib/server/live/hot';

/** What hooks.server.ts puts on `locals.services`, per test. */
const services: { current: unknown } = { current: undefined };

const { GET: events } = await import('./+server');
const { POST: mutation } = await import('./mutation/+server');
const { POST: subscribe } = await import('./subscribe/+server');
const { GET: token } = await import('./token/+server');
const { GET: jwks } = await import('../../.well-known/jwks.json/+server');

const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const localConfig = { publicBaseUrl: 'http://localhost:3000', live: { adapter: 'local' } };
const convexConfig = {
	publicBaseUrl: 'https://calls.example.com',
	live: { adapter: 'convex', url: 'https://x.convex.cloud', privateKey: pem, keyId: 'k1' }
};
const user = { id: 'route-ann', name: 'Ann', email: 'ann@example.com', role: 'agent' as const };

let hot: HotState;
beforeAll(async () => {
	hot = await createLocalHotState();
});
afterAll(() => hot.close());

/** The slice of a RequestEvent these handlers read. */
function event(locals: { user: typeof user | null }, body?: unknown) {
	const request = new Request(
		'http://localhost/api/live',
		body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }
	);
	return { locals: { ...locals, services: services.current }, request } as never;
}

describe('live routes', () => {
	it('require a signed-in user', async () => {
		services.current = { hot, config: localConfig };
		for (const handler of [events, mutation, subscribe, token]) {
			const res = await handler(event({ user: null }, {}));
			expect(res.status).toBe(401);
			expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
		}
	});

	it('serve the local path with LIVE=local', async () => {
		services.current = { hot, config: localConfig };
		const res = await mutation(event({ user }, { name: 'contactTabs:open', args: { customerId: 'c1', label: 'Acme' } }));
		expect(await res.json()).toMatchObject({ ok: true, value: { customerId: 'c1' } });
		const stream = await events(event({ user }));
		expect(stream.headers.get('content-type')).toContain('text/event-stream');
		await stream.body?.cancel();
		expect((await token(event({ user }))).status).toBe(404);
		expect((await jwks(event({ user: null }))).status).toBe(404);
	});

	it('hand out Convex tokens and the JWKS, and close the local path, with LIVE=convex', async () => {
		services.current = { hot: { mode: 'convex' }, config: convexConfig };
		expect(await (await events(event({ user }))).json()).toMatchObject({ code: 'NOT_LOCAL' });
		const issued = (await (await token(event({ user }))).json()) as { token: string; expiresAt: number };
		const claims = JSON.parse(Buffer.from(issued.token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
		expect(claims).toMatchObject({
			sub: 'route-ann',
			role: 'agent',
			name: 'Ann',
			iss: 'https://calls.example.com',
			aud: 'convex'
		});
		const keys = (await (await jwks(event({ user: null }))).json()) as { keys: { kid: string }[] };
		expect(keys.keys.map((k) => k.kid)).toEqual(['k1']);
	});
});
