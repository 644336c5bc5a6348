import { describe, expect, it } from 'vitest';
import type { ConnectionState } from 'convex/browser';
import { ConvexLiveClient, type ConvexClientLike } from './convex-client';
import { fetchConvexToken } from './convex-token';

/** A token endpoint that answers each request with the next scripted outcome. */
function endpoint(outcomes: (number | 'network' | { token: string })[]) {
	const calls: string[] = [];
	const fetchImpl: typeof fetch = (input) => {
		calls.push(input instanceof Request ? input.url : input.toString());
		const next = outcomes.shift();
		if (next === undefined) throw new Error('no more answers scripted');
		if (next === 'network') return Promise.reject(new TypeError('Failed to fetch'));
		if (typeof next === 'number') return Promise.resolve(new Response('{"ok":false}', { status: next }));
		return Promise.resolve(Response.json({ token: next.token, expiresAt: 0 }));
	};
	return { fetchImpl, calls };
}

describe('the browser Convex token', () => {
	it('keeps trying through a 502, a 503 and a dropped network, with growing pauses, instead of signing the tab out', async () => {
		const { fetchImpl, calls } = endpoint([502, 'network', 503, { token: 'jwt-1' }]);
		const pauses: number[] = [];
		const token = await fetchConvexToken({ fetch: fetchImpl, sleep: (ms) => (pauses.push(ms), Promise.resolve()), firstDelayMs: 100 });
		expect(token).toBe('jwt-1');
		expect(calls).toEqual(['/api/live/token', '/api/live/token', '/api/live/token', '/api/live/token']);
		expect(pauses).toHaveLength(3);
		expect(pauses[0]).toBeGreaterThanOrEqual(100);
		expect(pauses[1]).toBeGreaterThanOrEqual(200);
		expect(pauses[2]).toBeGreaterThanOrEqual(400);
	});

	it('answers null (signed out) only when the server says nobody is signed in', async () => {
		const { fetchImpl } = endpoint([401]);
		await expect(fetchConvexToken({ fetch: fetchImpl, sleep: () => Promise.resolve() })).resolves.toBeNull();
	});

	it('caps the pause between attempts', async () => {
		const { fetchImpl } = endpoint([503, 503, 503, 503, 503, { token: 't' }]);
		const pauses: number[] = [];
		await fetchConvexToken({ fetch: fetchImpl, sleep: (ms) => (pauses.push(ms), Promise.resolve()), firstDelayMs: 100, maxDelayMs: 300 });
		expect(Math.max(...pauses)).toBeLessThan(300 * 1.25 + 1);
	});
});

describe('Convex sign-in in the tab', () => {
	it('asks Convex to authenticate again when the app mounts again after signing in again', async () => {
		const fetchers: (() => Promise<string | null | undefined>)[] = [];
		const state = { isWebSocketConnected: true, hasEverConnected: true } as ConnectionState;
		const client = {
			setAuth: (fetchToken: () => Promise<string | null | undefined>) => void fetchers.push(fetchToken),
			connectionState: () => state,
			subscribeToConnectionState: () => () => {},
			onUpdate: () => Object.assign(() => {}, { unsubscribe: () => {}, getCurrentValue: () => undefined }),
			mutation: () => Promise.resolve(null)
		} as unknown as ConvexClientLike;
		const { fetchImpl } = endpoint([401, { token: 'after-sign-in' }]);
		const live = new ConvexLiveClient(client, undefined, { fetch: fetchImpl, sleep: () => Promise.resolve() });
		await expect(fetchers[0]!()).resolves.toBeNull();
		live.resumeAuth();
		expect(fetchers).toHaveLength(2);
		await expect(fetchers[1]!()).resolves.toBe('after-sign-in');
	});
});
