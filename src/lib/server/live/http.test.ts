import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { createLocalHotState, type HotState } from './hot';
import { eventStream, mutationRequest, subscribeRequest, unsubscribeRequest } from './http';
import { LiveHub, type LiveUser } from './hub';
import { EventQueue, isErrorFor, isHello, isResultFor } from './test-sse-client';

let hot: HotState;
let hub: LiveHub;
beforeAll(async () => {
	hot = await createLocalHotState();
	hub = new LiveHub(hot);
});
afterAll(() => hot.close());

const ann: LiveUser = { id: 'sse-ann', name: 'Ann', role: 'agent' };
const bob: LiveUser = { id: 'sse-bob', name: 'Bob', role: 'agent' };

const post = (body: unknown) => new Request('http://test/api/live', { method: 'POST', body: JSON.stringify(body) });

/** One browser: its stream, its connection id, and a way to close it. */
async function openBrowser(user: LiveUser, heartbeatMs?: number) {
	const abort = new AbortController();
	const response = eventStream(hub, user, abort.signal, heartbeatMs);
	expect(response.headers.get('content-type')).toContain('text/event-stream');
	const events = new EventQueue(response.body!);
	const { connectionId } = await events.next(isHello);
	return { events, connectionId, close: () => abort.abort() };
}

describe('live HTTP endpoints', () => {
	it("carries a customer tab opened on one device to the same agent's other device, and its closing back", async () => {
		const desk = await openBrowser(ann);
		const laptop = await openBrowser(ann);
		for (const device of [desk, laptop]) {
			const res = await subscribeRequest(
				hub,
				ann,
				post({ connectionId: device.connectionId, subscriptions: [{ subId: 'tabs', name: 'contactTabs:mine', args: {} }] })
			);
			expect(res.status).toBe(200);
			expect((await device.events.next(isResultFor('tabs'))).value).toEqual([]);
		}

		const opened = await mutationRequest(
			hub,
			ann,
			post({ name: 'contactTabs:open', args: { customerId: 'c42', label: 'Acme' } })
		);
		expect(opened.status).toBe(200);
		expect(await opened.json()).toMatchObject({ ok: true, value: { customerId: 'c42', label: 'Acme' } });
		for (const device of [desk, laptop]) {
			expect((await device.events.next(isResultFor('tabs'))).value).toMatchObject([{ customerId: 'c42' }]);
		}

		await mutationRequest(hub, ann, post({ name: 'contactTabs:close', args: { customerId: 'c42' } }));
		for (const device of [desk, laptop]) expect((await device.events.next(isResultFor('tabs'))).value).toEqual([]);
		desk.close();
		laptop.close();
	});

	it('stops pushing after unsubscribe, and cleans up when the stream closes', async () => {
		const before = hub.connectionCount;
		const page = await openBrowser(bob);
		expect(hub.connectionCount).toBe(before + 1);
		await subscribeRequest(
			hub,
			bob,
			post({ connectionId: page.connectionId, subscriptions: [{ subId: 'me', name: 'agentStatus:mine', args: {} }] })
		);
		expect((await page.events.next(isResultFor('me'))).value).toBeNull();
		const res = await unsubscribeRequest(hub, bob, post({ connectionId: page.connectionId, subIds: ['me'] }));
		expect(res.status).toBe(200);
		await mutationRequest(hub, bob, post({ name: 'agentStatus:setMine', args: { status: 'away' } }));
		await new Promise((r) => setTimeout(r, 150));
		expect(page.events.buffered).toBe(0);
		page.close();
		await new Promise((r) => setTimeout(r, 10));
		expect(hub.connectionCount).toBe(before);
	});

	it("refuses another user's connection id as if it did not exist", async () => {
		const page = await openBrowser(ann);
		const res = await subscribeRequest(
			hub,
			bob,
			post({ connectionId: page.connectionId, subscriptions: [{ subId: 'x', name: 'contactTabs:mine', args: {} }] })
		);
		expect(res.status).toBe(404);
		expect(await res.json()).toMatchObject({ ok: false, code: 'UNKNOWN_CONNECTION' });
		page.close();
	});

	it('refuses server-only and unknown functions by name, and an agent calling a server-only one, writing nothing', async () => {
		const hydrate = await mutationRequest(
			hub,
			ann,
			post({ name: 'agentStatus:hydrate', args: { agents: [], removeMissing: true } })
		);
		expect(hydrate.status).toBe(403);
		expect(await hydrate.json()).toMatchObject({ ok: false, code: 'FORBIDDEN' });

		const unknown = await mutationRequest(hub, ann, post({ name: 'agentStatus:launchRockets', args: {} }));
		expect(unknown.status).toBe(404);

		const admin = await mutationRequest(
			hub,
			ann,
			post({ name: 'agentSkills:setForAgent', args: { userId: ann.id, skills: [{ skill: 'billing', level: 5 }] } })
		);
		expect(admin.status).toBe(403);
		expect(await admin.json()).toEqual({
			ok: false,
			code: 'FORBIDDEN',
			message: 'agentSkills:setForAgent is reserved for the Switchboard server.'
		});
		expect(await hot.query(api.agentSkills.list, { userId: ann.id }, { subject: ann.id, role: 'agent' })).toEqual([]);
	});

	it('answers malformed requests and bad arguments with 400 and a message saying what to fix', async () => {
		const notJson = await mutationRequest(hub, ann, new Request('http://test', { method: 'POST', body: '{' }));
		expect(notJson.status).toBe(400);
		const badName = await mutationRequest(hub, ann, post({ name: 'drop table', args: {} }));
		expect(badName.status).toBe(400);
		expect((await badName.json()).message).toContain('module:function');
		const badArgs = await mutationRequest(hub, ann, post({ name: 'agentStatus:setMine', args: { status: 'asleep' } }));
		expect(badArgs.status).toBe(400);
		expect(await badArgs.json()).toMatchObject({ ok: false, code: 'INVALID_ARGUMENTS' });
	});

	it('sends a refused subscription its error on the stream', async () => {
		const page = await openBrowser(ann);
		await subscribeRequest(
			hub,
			ann,
			post({ connectionId: page.connectionId, subscriptions: [{ subId: 'bad', name: 'agentStatus:nothing', args: {} }] })
		);
		expect(await page.events.next(isErrorFor('bad'))).toMatchObject({ code: 'UNKNOWN_FUNCTION' });
		page.close();
	});

	it('sends heartbeats so idle streams stay open', async () => {
		const page = await openBrowser(ann, 20);
		expect(await page.events.next((e): e is { type: 'comment'; text: string } => e.type === 'comment')).toEqual({
			type: 'comment',
			text: 'ping'
		});
		page.close();
	});
});
