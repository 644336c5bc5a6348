import { describe, expect, it, vi } from 'vitest';
import { api } from './_generated/api';
import { as, newConvex, rejectsWith } from './test.setup';

const roster = [
	{ userId: 'u-zoe', name: 'Zoe Agent', role: 'agent' as const },
	{ userId: 'u-al', name: 'Al Agent', role: 'agent' as const },
	{ userId: 'u-sue', name: 'Sue Supervisor', role: 'supervisor' as const }
];

describe('agentStatus', () => {
	it('hydrates the roster offline and lists it to supervisors, ordered by name', async () => {
		const t = newConvex();
		await expect(as(t, 'system').mutation(api.agentStatus.hydrate, { agents: roster, removeMissing: true })).resolves.toEqual({
			inserted: 3,
			updated: 0,
			removed: 0
		});
		const list = await as(t, 'supervisor', 'u-sue').query(api.agentStatus.list, {});
		expect(list.map((a) => [a.name, a.status])).toEqual([
			['Al Agent', 'offline'],
			['Sue Supervisor', 'offline'],
			['Zoe Agent', 'offline']
		]);
	});

	it('keeps the roster, like the wallboard page, to managers, supervisors and admins; agents read their own status', async () => {
		const t = newConvex();
		await as(t, 'system').mutation(api.agentStatus.hydrate, { agents: roster, removeMissing: true });
		await rejectsWith(as(t, 'agent', 'u-zoe').query(api.agentStatus.list, {}), 'FORBIDDEN');
		for (const role of ['manager', 'supervisor', 'admin'] as const) expect(await as(t, role).query(api.agentStatus.list, {})).toHaveLength(3);
		expect(await as(t, 'agent', 'u-zoe').query(api.agentStatus.mine, {})).toMatchObject({ userId: 'u-zoe', status: 'offline' });
	});

	it('lets an agent set their own status, seen live by others through the list', async () => {
		const t = newConvex();
		await as(t, 'system').mutation(api.agentStatus.hydrate, { agents: roster, removeMissing: true });
		const zoe = as(t, 'agent', 'u-zoe', 'Zoe Agent');
		const set = await zoe.mutation(api.agentStatus.setMine, { status: 'away' });
		expect(set).toMatchObject({ userId: 'u-zoe', status: 'away' });
		const seen = await as(t, 'supervisor', 'u-sue').query(api.agentStatus.list, {});
		expect(seen.find((a) => a.userId === 'u-zoe')?.status).toBe('away');
		expect(await zoe.query(api.agentStatus.mine, {})).toMatchObject({ status: 'away' });
	});

	it('keeps `since` when the status is set to what it already is', async () => {
		const t = newConvex();
		const zoe = as(t, 'agent', 'u-zoe');
		const first = await zoe.mutation(api.agentStatus.setMine, { status: 'available' });
		await new Promise((r) => setTimeout(r, 5));
		const again = await zoe.mutation(api.agentStatus.setMine, { status: 'available' });
		expect(again.since).toBe(first.since);
		const changed = await zoe.mutation(api.agentStatus.setMine, { status: 'busy' });
		expect(changed.since).toBeGreaterThan(first.since);
	});

	it('creates the row of an agent hydration has not seen yet, from the identity', async () => {
		const t = newConvex();
		await as(t, 'manager', 'u-new', 'New Manager').mutation(api.agentStatus.setMine, { status: 'available' });
		expect(await as(t, 'supervisor').query(api.agentStatus.list, {})).toEqual([
			expect.objectContaining({ userId: 'u-new', name: 'New Manager', role: 'manager', status: 'available' })
		]);
	});

	it('accepts only the statuses a person may pick', async () => {
		const t = newConvex();
		// @ts-expect-error offline is set by sign-out, not by hand
		await expect(as(t, 'agent').mutation(api.agentStatus.setMine, { status: 'offline' })).rejects.toThrow();
		expect(await t.run((ctx) => ctx.db.query('agent_status').collect())).toEqual([]);
	});

	it('refuses a status change while a call is ringing for the agent', async () => {
		const t = newConvex();
		await t.run((ctx) =>
			ctx.db.insert('agent_status', { userId: 'u1', name: 'One', role: 'agent', status: 'ringing', since: 1, softphone: 'ready' })
		);
		await rejectsWith(as(t, 'agent', 'u1').mutation(api.agentStatus.setMine, { status: 'away' }), 'CALL_RINGING');
	});

	it('re-hydration keeps statuses, refreshes names and roles, and drops users who left', async () => {
		const t = newConvex();
		const system = as(t, 'system');
		await system.mutation(api.agentStatus.hydrate, { agents: roster, removeMissing: true });
		await as(t, 'agent', 'u-zoe').mutation(api.agentStatus.setMine, { status: 'busy' });
		const next = [
			{ userId: 'u-zoe', name: 'Zoe Agent', role: 'manager' as const },
			{ userId: 'u-al', name: 'Alan Agent', role: 'agent' as const }
		];
		await expect(system.mutation(api.agentStatus.hydrate, { agents: next, removeMissing: true })).resolves.toEqual({
			inserted: 0,
			updated: 2,
			removed: 1
		});
		const list = await as(t, 'admin').query(api.agentStatus.list, {});
		expect(list.map((a) => [a.name, a.role, a.status])).toEqual([
			['Alan Agent', 'agent', 'offline'],
			['Zoe Agent', 'manager', 'busy']
		]);
	});

	it('shows heartbeats only to 30 s, so beats within one window change nothing the list shows', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		try {
			vi.setSystemTime(new Date('2026-11-24T09:00:00.000Z'));
			const t = newConvex();
			const zoe = as(t, 'agent', 'u-zoe');
			await zoe.mutation(api.agentStatus.setMine, { status: 'available' });
			await zoe.mutation(api.agentStatus.heartbeat, { softphone: 'unregistered' });
			const before = await as(t, 'supervisor').query(api.agentStatus.list, {});
			expect(before[0]?.heartbeatAt).toBe(Date.parse('2026-11-24T09:00:00.000Z'));
			vi.setSystemTime(new Date('2026-11-24T09:00:15.000Z'));
			await zoe.mutation(api.agentStatus.heartbeat, { softphone: 'unregistered' });
			expect(await as(t, 'supervisor').query(api.agentStatus.list, {})).toEqual(before);
			vi.setSystemTime(new Date('2026-11-24T09:00:31.000Z'));
			await zoe.mutation(api.agentStatus.heartbeat, { softphone: 'ready' });
			expect(await zoe.query(api.agentStatus.mine, {})).toMatchObject({ softphone: 'ready', heartbeatAt: Date.parse('2026-11-24T09:00:30.000Z') });
		} finally {
			vi.useRealTimers();
		}
	});

	it('writes nothing on a beat within the same 30 s window, so agent-list subscriptions are not re-run', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		try {
			vi.setSystemTime(new Date('2026-11-24T09:00:01.000Z'));
			const t = newConvex();
			const zoe = as(t, 'agent', 'u-zoe');
			await zoe.mutation(api.agentStatus.heartbeat, { softphone: 'ready' });
			const row = () => t.run(async (ctx) => (await ctx.db.query('agent_status').collect())[0]);
			const first = await row();
			vi.setSystemTime(new Date('2026-11-24T09:00:16.000Z'));
			await zoe.mutation(api.agentStatus.heartbeat, { softphone: 'ready' });
			expect(await row()).toEqual(first);
			vi.setSystemTime(new Date('2026-11-24T09:00:31.000Z'));
			await zoe.mutation(api.agentStatus.heartbeat, { softphone: 'ready' });
			expect(await row()).toMatchObject({ lastSeenAt: Date.parse('2026-11-24T09:00:31.000Z'), seenBucket: Date.parse('2026-11-24T09:00:30.000Z') });
		} finally {
			vi.useRealTimers();
		}
	});

	it('refuses the picker during a call and in wrap-up: those end through the call and the server', async () => {
		const t = newConvex();
		const sys = as(t, 'system', 'switchboard');
		const zoe = as(t, 'agent', 'u-zoe', 'Zoe');
		await zoe.mutation(api.agentStatus.setMine, { status: 'available' });
		await zoe.mutation(api.agentStatus.heartbeat, { softphone: 'ready' });
		await t.run((ctx) => ctx.db.insert('agent_skills', { userId: 'u-zoe', skill: 'sales', level: 3 }));
		await sys.mutation(api.callLine.routeInbound, {
			callSid: 'CA1',
			from: '+12125550123',
			to: '+14155550100',
			customerId: 'cust-1',
			customerName: 'Ada',
			queueName: 'sales',
			requiredSkills: ['sales']
		});
		await zoe.mutation(api.callLine.acceptCall, { callSid: 'CA1' });
		await rejectsWith(zoe.mutation(api.agentStatus.setMine, { status: 'available' }), 'ON_CALL');
		await rejectsWith(zoe.mutation(api.agentStatus.setMine, { status: 'away' }), 'ON_CALL');
		await expect(zoe.mutation(api.agentStatus.setMine, { status: 'busy' })).resolves.toMatchObject({ status: 'busy' });
		await sys.mutation(api.callWrapup.completeCall, { callSid: 'CA1' });
		await rejectsWith(zoe.mutation(api.agentStatus.setMine, { status: 'available' }), 'WRAPUP_OPEN');
		await rejectsWith(zoe.mutation(api.agentStatus.setMine, { status: 'away' }), 'WRAPUP_OPEN');
		await sys.mutation(api.callWrapup.finishWrapup, { callSid: 'CA1', agentId: 'u-zoe' });
		await expect(zoe.mutation(api.agentStatus.setMine, { status: 'away' })).resolves.toMatchObject({ status: 'away' });
	});

	it('runs with Convex limits on (a transaction past 4,096 queries is refused), and prunes the roster page by page', async () => {
		const t = newConvex();
		await expect(
			t.run(async (ctx) => {
				for (let i = 0; i < 4_100; i++) await ctx.db.query('agent_status').first();
			})
		).rejects.toThrow(/limit/i);
		const agents = Array.from({ length: 200 }, (_, i) => ({ userId: `u-${i}`, name: `Agent ${i}`, role: 'agent' as const }));
		await expect(as(t, 'system').mutation(api.agentStatus.hydrate, { agents, removeMissing: false })).resolves.toMatchObject({ inserted: 200 });
		const page = await as(t, 'system').mutation(api.agentStatus.pruneRoster, { keep: ['u-1'], cursor: null });
		expect(page).toMatchObject({ removed: 199, isDone: true });
	});
});
