import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { AppError } from '../errors';
import { createLocalHotState, SYSTEM_IDENTITY, type HotState, type Identity } from './hot';

let hot: HotState;
beforeAll(async () => {
	hot = await createLocalHotState();
});
afterAll(() => hot.close());

const agent = (subject: string, name = subject): Identity => ({ subject, role: 'agent', name });

/** Collects a subscription's pushes; `next()` waits for the next one. */
function collect<T>() {
	const values: T[] = [];
	const errors: Error[] = [];
	let waiters: (() => void)[] = [];
	const wake = () => {
		const w = waiters;
		waiters = [];
		for (const f of w) f();
	};
	return {
		values,
		errors,
		onResult: (value: T) => {
			values.push(value);
			wake();
		},
		onError: (error: Error) => {
			errors.push(error);
			wake();
		},
		async until(count: number, timeoutMs = 2_000) {
			const deadline = Date.now() + timeoutMs;
			while (values.length + errors.length < count) {
				if (Date.now() > deadline) throw new Error(`expected ${count} pushes, got ${values.length + errors.length}`);
				await new Promise<void>((resolve) => {
					waiters.push(resolve);
					setTimeout(resolve, 50);
				});
			}
		}
	};
}

const settle = () => new Promise((r) => setTimeout(r, 150));

describe('local hot state', () => {
	it('runs queries and mutations as the given identity', async () => {
		const status = await hot.mutation(api.agentStatus.setMine, { status: 'available' }, agent('hq-1', 'Hana'));
		expect(status).toMatchObject({ userId: 'hq-1', name: 'Hana', status: 'available' });
		expect(await hot.query(api.agentStatus.mine, {}, agent('hq-1'))).toMatchObject({ status: 'available' });
	});

	it('pushes a changed result to subscribers after a mutation commits, and nothing when unchanged', async () => {
		const sub = collect<{ customerId: string }[]>();
		const me = agent('hq-tabs');
		const stop = hot.subscribe(api.contactTabs.mine, {}, me, sub.onResult, sub.onError);
		await sub.until(1);
		expect(sub.values[0]).toEqual([]);

		await hot.mutation(api.contactTabs.open, { customerId: 'c1', label: 'Acme' }, me);
		await sub.until(2);
		expect(sub.values[1]?.map((t) => t.customerId)).toEqual(['c1']);

		// Same tab again: the engine re-runs the query but the result is the same, so no push.
		await hot.mutation(api.contactTabs.open, { customerId: 'c1', label: 'Acme' }, me);
		// Another agent's tab changes the table but not this agent's result.
		await hot.mutation(api.contactTabs.open, { customerId: 'c9', label: 'Other' }, agent('hq-someone-else'));
		// A different table altogether.
		await hot.mutation(api.agentStatus.setMine, { status: 'busy' }, me);
		await settle();
		expect(sub.values).toHaveLength(2);

		await hot.mutation(api.contactTabs.close, { customerId: 'c1' }, me);
		await sub.until(3);
		expect(sub.values[2]).toEqual([]);
		stop();
		expect(sub.errors).toEqual([]);
	});

	it('shares identical subscriptions and keeps serving the others after one unsubscribes', async () => {
		const me = agent('hq-share');
		const a = collect<unknown[]>();
		const b = collect<unknown[]>();
		const stopA = hot.subscribe(api.contactTabs.mine, {}, me, a.onResult, a.onError);
		await a.until(1);
		const stopB = hot.subscribe(api.contactTabs.mine, {}, me, b.onResult, b.onError);
		await b.until(1);
		expect(b.values[0]).toEqual([]);
		stopA();
		await hot.mutation(api.contactTabs.open, { customerId: 'c2', label: 'Bolt' }, me);
		await b.until(2);
		await settle();
		expect(a.values).toHaveLength(1);
		stopB();
	});

	it('keeps per-caller results apart while sharing runs of caller-free queries', async () => {
		const ann = agent('hq-ann2');
		const bob = agent('hq-bob2');
		const annTabs = collect<{ customerId: string }[]>();
		const bobTabs = collect<{ customerId: string }[]>();
		const annRoster = collect<{ userId: string; status: string }[]>();
		const bobRoster = collect<{ userId: string; status: string }[]>();
		const stops = [
			hot.subscribe(api.contactTabs.mine, {}, ann, annTabs.onResult, annTabs.onError),
			hot.subscribe(api.contactTabs.mine, {}, bob, bobTabs.onResult, bobTabs.onError),
			// The roster is the wallboard's: two supervisors watch it.
			hot.subscribe(api.agentStatus.list, {}, { subject: 'hq-sue', role: 'supervisor', name: 'Sue' }, annRoster.onResult, annRoster.onError),
			hot.subscribe(api.agentStatus.list, {}, { subject: 'hq-sam', role: 'supervisor', name: 'Sam' }, bobRoster.onResult, bobRoster.onError)
		];
		for (const c of [annTabs, bobTabs, annRoster, bobRoster]) await c.until(1);

		await hot.mutation(api.contactTabs.open, { customerId: 'ann-c', label: 'Ann C' }, ann);
		await hot.mutation(api.contactTabs.open, { customerId: 'bob-c', label: 'Bob C' }, bob);
		await annTabs.until(2);
		await bobTabs.until(2);
		await settle();
		expect(annTabs.values.at(-1)?.map((t) => t.customerId)).toEqual(['ann-c']);
		expect(bobTabs.values.at(-1)?.map((t) => t.customerId)).toEqual(['bob-c']);

		await hot.mutation(api.agentStatus.setMine, { status: 'away' }, ann);
		await annRoster.until(2);
		await bobRoster.until(2);
		for (const roster of [annRoster, bobRoster])
			expect(roster.values.at(-1)?.find((a) => a.userId === 'hq-ann2')?.status).toBe('away');
		for (const stop of stops) stop();
	});

	it('refuses an agent calling a server-only function with FORBIDDEN and writes nothing', async () => {
		const call = hot.mutation(
			api.agentSkills.setForAgent,
			{ userId: 'hq-1', skills: [{ skill: 'billing', level: 5 }] },
			agent('hq-1')
		);
		await expect(call).rejects.toBeInstanceOf(AppError);
		await expect(call).rejects.toMatchObject({ kind: 'FORBIDDEN', code: 'FORBIDDEN' });
		expect(await hot.query(api.agentSkills.list, { userId: 'hq-1' }, agent('hq-1'))).toEqual([]);
	});

	it('reports bad arguments as BAD_REQUEST and server-only functions as FORBIDDEN to staff', async () => {
		// @ts-expect-error deliberately invalid status
		const bad = hot.mutation(api.agentStatus.setMine, { status: 'asleep' }, agent('hq-1'));
		await expect(bad).rejects.toMatchObject({ kind: 'BAD_REQUEST', code: 'INVALID_ARGUMENTS' });
		const upsert = hot.mutation(
			api.agentStatus.hydrate,
			{ agents: [{ userId: 'x', name: 'X', role: 'agent' }], removeMissing: false },
			{ subject: 'a', role: 'admin' }
		);
		await expect(upsert).rejects.toMatchObject({ kind: 'FORBIDDEN' });
		await expect(
			hot.mutation(api.agentStatus.hydrate, { agents: [{ userId: 'hq-x', name: 'X', role: 'agent' }], removeMissing: false }, SYSTEM_IDENTITY)
		).resolves.toEqual({ inserted: 1, updated: 0, removed: 0 });
	});

	it('sends a subscription its refusal as an error', async () => {
		const sub = collect<unknown>();
		const stop = hot.subscribe(api.agentStatus.list, {}, SYSTEM_IDENTITY, sub.onResult, sub.onError);
		await sub.until(1);
		expect(sub.errors[0]).toMatchObject({ kind: 'FORBIDDEN' });
		stop();
	});

	it('runs concurrent mutations one at a time, so each sees the last one committed', async () => {
		const me = agent('hq-race');
		await Promise.all(
			Array.from({ length: 20 }, (_, i) => hot.mutation(api.contactTabs.open, { customerId: `r${i}`, label: `R ${i}` }, me))
		);
		const tabs = await hot.query(api.contactTabs.mine, {}, me);
		expect(tabs.map((t) => t.order)).toEqual(Array.from({ length: 20 }, (_, i) => i));
	});

	it('describes the functions it serves, with their guards', () => {
		expect(hot.describe('agentSkills:setForAgent')).toEqual({
			name: 'agentSkills:setForAgent',
			kind: 'mutation',
			visibility: 'public',
			guard: 'system'
		});
		expect(hot.describe('agentStatus:hydrate')?.guard).toBe('system');
		expect(hot.describe('nope:nothing')).toBeUndefined();
	});
});
