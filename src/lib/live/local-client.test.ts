/**
 * The browser client against the real server side: its fetch and EventSource are wired to the
 * live HTTP handlers, the hub and a local engine, with no HTTP server in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { createLocalHotState, type HotState } from '$lib/server/live/hot';
import { eventStream, mutationRequest, subscribeRequest, unsubscribeRequest } from '$lib/server/live/http';
import { LiveHub, type LiveUser } from '$lib/server/live/hub';
import { readEvents } from '$lib/server/live/test-sse-client';
import type { ConnectionStatus } from './backend';
import { LiveError } from './errors';
import { LocalLiveClient } from './local-client';

let hot: HotState;
let hub: LiveHub;
beforeAll(async () => {
	hot = await createLocalHotState();
	hub = new LiveHub(hot);
});
afterAll(() => hot.close());

/** A browser signed in as `user`: fake EventSource and fetch that reach the handlers directly. */
function browserFor(user: LiveUser) {
	const streams: AbortController[] = [];
	let failNextConnects = 0;
	class FakeEventSource {
		onmessage: ((event: MessageEvent<string>) => void) | null = null;
		onerror: ((event: Event) => void) | null = null;
		#abort = new AbortController();
		constructor(url: string) {
			expect(url).toBe('/api/live');
			streams.push(this.#abort);
			if (failNextConnects > 0) {
				failNextConnects -= 1;
				queueMicrotask(() => this.onerror?.(new Event('error')));
				return;
			}
			const body = eventStream(hub, user, this.#abort.signal).body!;
			void (async () => {
				for await (const event of readEvents(body)) {
					if (event.type !== 'comment') this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(event) }));
				}
				if (!this.#abort.signal.aborted || this.#dropped) this.onerror?.(new Event('error'));
			})();
		}
		#dropped = false;
		/** The server side goes away (deploy, network). */
		drop() {
			this.#dropped = true;
			this.#abort.abort();
		}
		close() {
			this.#abort.abort();
		}
	}
	const sources: FakeEventSource[] = [];
	const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
		const request = new Request(new URL(input instanceof Request ? input.url : input, 'http://test'), init);
		const path = new URL(request.url).pathname;
		if (path === '/api/live/subscribe') return subscribeRequest(hub, user, request);
		if (path === '/api/live/unsubscribe') return unsubscribeRequest(hub, user, request);
		if (path === '/api/live/mutation') return mutationRequest(hub, user, request);
		return new Response('not found', { status: 404 });
	}) as typeof fetch;
	const statuses: ConnectionStatus[] = [];
	const client = new LocalLiveClient({
		EventSource: class extends FakeEventSource {
			constructor(url: string) {
				super(url);
				sources.push(this);
			}
		},
		fetch: fetchImpl,
		onStatus: (s) => statuses.push(s),
		backoff: { initialMs: 5, maxMs: 20 }
	}).start();
	return {
		client,
		statuses,
		dropStream: () => sources.at(-1)!.drop(),
		failNextConnects: (n: number) => (failNextConnects = n)
	};
}

/** Results of one subscription, awaitable. */
function watch(client: LocalLiveClient, name: string, args: Record<string, unknown> = {}) {
	const values: unknown[] = [];
	const errors: Error[] = [];
	const stop = client.subscribe(
		name,
		args,
		(v) => values.push(v),
		(e) => errors.push(e)
	);
	return {
		values,
		errors,
		stop,
		async until(predicate: (value: unknown) => boolean, timeoutMs = 2_000) {
			const deadline = Date.now() + timeoutMs;
			while (!values.some(predicate)) {
				if (Date.now() > deadline) throw new Error(`no matching value; got ${JSON.stringify(values)}`);
				await new Promise((r) => setTimeout(r, 5));
			}
		}
	};
}

const tabIds = (value: unknown) => (value as { customerId: string }[]).map((t) => t.customerId);

describe('LocalLiveClient', () => {
	it('follows a customer tab across two browsers of the same agent', async () => {
		const user: LiveUser = { id: 'lc-ann', name: 'Ann', role: 'agent' };
		const a = browserFor(user);
		const b = browserFor(user);
		const tabsA = watch(a.client, 'contactTabs:mine');
		const tabsB = watch(b.client, 'contactTabs:mine');
		await tabsA.until((v) => tabIds(v).length === 0);
		await tabsB.until((v) => tabIds(v).length === 0);

		await expect(a.client.mutate('contactTabs:open', { customerId: 'c7', label: 'Acme' })).resolves.toMatchObject({
			customerId: 'c7'
		});
		await tabsB.until((v) => tabIds(v).join() === 'c7');
		await b.client.mutate('contactTabs:close', { customerId: 'c7' });
		await tabsA.until((v, i = tabsA.values.indexOf(v)) => i > 1 && tabIds(v).length === 0);
		expect(a.statuses[0]).toBe('connecting');
		expect(a.statuses).toContain('live');
		a.client.close();
		b.client.close();
	});

	it('rejects a refused mutation with a LiveError carrying the code', async () => {
		const { client } = browserFor({ id: 'lc-bob', name: 'Bob', role: 'agent' });
		const call = client.mutate('agentSkills:setForAgent', { userId: 'lc-bob', skills: [] });
		await expect(call).rejects.toBeInstanceOf(LiveError);
		await expect(call).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
		client.close();
	});

	it('reconnects with backoff after the stream drops and re-subscribes everything', async () => {
		const user: LiveUser = { id: 'lc-cat', name: 'Cat', role: 'agent' };
		const page = browserFor(user);
		const me = watch(page.client, 'agentStatus:mine');
		await me.until((v) => v === null);

		page.failNextConnects(2);
		page.dropStream();
		await new Promise((r) => setTimeout(r, 5));
		await hot.mutation(api.agentStatus.setMine, { status: 'away' }, { subject: user.id, role: 'agent', name: 'Cat' });
		await me.until((v) => (v as { status?: string } | null)?.status === 'away', 3_000);
		expect(page.statuses.filter((s) => s === 'reconnecting').length).toBeGreaterThanOrEqual(3);
		expect(page.statuses.at(-1)).toBe('live');
		expect(page.client.connected).toBe(true);
		page.client.close();
	});

	it('stops receiving after unsubscribe and sends nothing for a subscription dropped before it went out', async () => {
		const user: LiveUser = { id: 'lc-dan', name: 'Dan', role: 'agent' };
		const page = browserFor(user);
		const early = watch(page.client, 'agentStatus:mine');
		early.stop();
		const me = watch(page.client, 'agentStatus:mine');
		await me.until((v) => v === null);
		me.stop();
		await new Promise((r) => setTimeout(r, 20));
		await page.client.mutate('agentStatus:setMine', { status: 'busy' });
		await new Promise((r) => setTimeout(r, 150));
		expect(me.values).toEqual([null]);
		expect(early.values).toEqual([]);
		page.client.close();
	});
});
