import { describe, expect, it, vi } from 'vitest';
import { api } from './_generated/api';
import { agent, call, ringing, statusOf, sys } from './calls.fixtures';
import { POSITION_CAP } from './lib/callLine';
import { as, newConvex, rejectsWith } from './test.setup';

describe('the call line', () => {
	it('offers the longest-idle healthy agent with the skills, and repeats the decision for a retried webhook', async () => {
		const t = newConvex();
		await agent(t, 'a-recent', ['sales'], 2_000);
		await agent(t, 'a-oldest-no-skill', ['support'], 500);
		await agent(t, 'a-oldest-bad-phone', ['sales'], 600, 'error');
		await agent(t, 'a-idle', ['sales'], 1_000);
		const first = await sys(t).mutation(api.callLine.routeInbound, call('CA1'));
		expect(first).toMatchObject({ kind: 'offered', agentId: 'a-idle', attempts: 1 });
		expect(await statusOf(t, 'a-idle')).toBe('ringing');
		expect(await sys(t).mutation(api.callLine.routeInbound, call('CA1'))).toEqual(first);
		expect(await ringing(t, 'CA1')).toMatchObject({ offeredTo: 'a-idle', customerName: 'Ada Lovelace', state: 'offered' });
	});

	it('moves a missed call to the next agent, marks the first away, then queues it', async () => {
		const t = newConvex();
		await agent(t, 'a1', ['sales'], 1);
		await agent(t, 'a2', ['sales'], 2);
		expect(await sys(t).mutation(api.callLine.routeInbound, call('CA2'))).toMatchObject({ agentId: 'a1' });
		expect(await sys(t).mutation(api.callLine.missCall, { callSid: 'CA2' })).toMatchObject({ kind: 'offered', agentId: 'a2', attempts: 2 });
		expect(await statusOf(t, 'a1')).toBe('away');
		// Marked missed where the agent and the wallboard see it: how many, and which caller.
		const a1 = await as(t, 'agent', 'a1').query(api.agentStatus.mine, {});
		expect(a1).toMatchObject({ missedCalls: 1, lastMissed: { callSid: 'CA2', from: '+12125550123', customerName: 'Ada Lovelace' } });
		expect(a1?.lastMissed?.at).toBe(a1?.since);
		expect(await sys(t).mutation(api.callLine.missCall, { callSid: 'CA2' })).toEqual({ kind: 'queued', queueName: 'sales', position: 1 });
		expect(await as(t, 'agent', 'a2').query(api.agentStatus.mine, {})).toMatchObject({ status: 'away', missedCalls: 1 });
		// A retried dial action changes nothing more.
		await sys(t).mutation(api.callLine.missCall, { callSid: 'CA2' });
		expect(await as(t, 'agent', 'a1').query(api.agentStatus.mine, {})).toMatchObject({ missedCalls: 1 });
	});

	it('passes a declined call to the next agent at once, without counting a miss, and leaves the agent as the setting says', async () => {
		const t = newConvex();
		await agent(t, 'd1', ['sales'], 1);
		await agent(t, 'd2', ['sales'], 2);
		expect(await sys(t).mutation(api.callLine.routeInbound, call('CD1'))).toMatchObject({ kind: 'offered', agentId: 'd1', attempts: 1 });
		expect(await sys(t).mutation(api.callLine.declineCall, { callSid: 'CD1', agentStatus: 'available' })).toMatchObject({ kind: 'offered', agentId: 'd2', attempts: 2 });
		expect(await as(t, 'agent', 'd1').query(api.agentStatus.mine, {})).toMatchObject({ status: 'available', missedCalls: 0, lastMissed: null });
		expect(await ringing(t, 'CD1')).toMatchObject({ state: 'offered', offeredTo: 'd2', declinedBy: ['d1'] });
		// Nobody left who has not declined it (d1 is available but said no): the caller waits in line.
		expect(await sys(t).mutation(api.callLine.declineCall, { callSid: 'CD1', agentStatus: 'away' })).toEqual({ kind: 'queued', queueName: 'sales', position: 1 });
		expect(await as(t, 'agent', 'd2').query(api.agentStatus.mine, {})).toMatchObject({ status: 'away', missedCalls: 0, lastMissed: null });
		expect(await statusOf(t, 'd1')).toBe('available');
	});

	it('queues callers nobody can take, in arrival order, and lets one available agent claim a waiting caller', async () => {
		const t = newConvex();
		expect(await sys(t).mutation(api.callLine.routeInbound, call('CA3'))).toEqual({ kind: 'queued', queueName: 'sales', position: 1 });
		expect(await sys(t).mutation(api.callLine.routeInbound, call('CA4'))).toEqual({ kind: 'queued', queueName: 'sales', position: 2 });
		const away = as(t, 'agent', 'a-away', 'a-away');
		await away.mutation(api.agentStatus.setMine, { status: 'away' });
		await rejectsWith(away.mutation(api.callLine.acceptCall, { callSid: 'CA3' }), 'NOT_ELIGIBLE');
		const b = await agent(t, 'b', ['sales'], 1);
		expect(await b.mutation(api.callLine.acceptCall, { callSid: 'CA3' })).toEqual({ callSid: 'CA3', via: 'queue', customerId: 'cust-1' });
		await rejectsWith((await agent(t, 'c', ['sales'], 2)).mutation(api.callLine.acceptCall, { callSid: 'CA3' }), 'CALL_TAKEN');
		const { waiting } = await as(t, 'supervisor', 'viewer').query(api.callBoard.board, {});
		expect(waiting.map((w) => w.callSid)).toEqual(['CA4']);
	});

	it('keeps the line by priority, then arrival, then creation, and offers its head first', async () => {
		const t = newConvex();
		for (const sid of ['CL1', 'CL2', 'CL3', 'CL4']) await sys(t).mutation(api.callLine.routeInbound, call(sid));
		// CL3 is a priority caller; CL2 and CL4 arrived in the same millisecond (CL2 created first).
		await t.run(async (ctx) => {
			const rows = await ctx.db.query('incoming_call_queue').collect();
			const at: Record<string, { enqueuedAt: number; priority: number }> = {
				CL1: { enqueuedAt: 1_000, priority: 0 },
				CL2: { enqueuedAt: 2_000, priority: 0 },
				CL3: { enqueuedAt: 3_000, priority: 1 },
				CL4: { enqueuedAt: 2_000, priority: 0 }
			};
			for (const r of rows) await ctx.db.patch('incoming_call_queue', r._id, at[r.callSid]!);
		});
		const place = async (sid: string) => ((await sys(t).mutation(api.callLine.routeInbound, call(sid))) as { position: number }).position;
		expect([await place('CL3'), await place('CL1'), await place('CL2'), await place('CL4')]).toEqual([1, 2, 3, 4]);
		await agent(t, 'free', ['sales'], 1);
		// Only the head of the line is offered from the hold loop.
		expect(await sys(t).mutation(api.callLine.offerWaiting, { callSid: 'CL1' })).toMatchObject({ kind: 'queued', position: 2 });
		expect(await sys(t).mutation(api.callLine.offerWaiting, { callSid: 'CL3' })).toMatchObject({ kind: 'offered', agentId: 'free' });
		expect(await place('CL1')).toBe(1);
	});

	it('counts at most POSITION_CAP callers ahead and says when the place is a lower bound', async () => {
		const t = newConvex();
		await t.run(async (ctx) => {
			for (let i = 0; i < POSITION_CAP + 5; i++) {
				await ctx.db.insert('incoming_call_queue', {
					callSid: `CW${i}`,
					queueName: 'sales',
					from: '+12125550123',
					to: '+14155550100',
					state: 'routing',
					receivedAt: i,
					declinedBy: [],
					attempts: 0,
					priority: 0,
					lineState: 'waiting',
					enqueuedAt: i
				});
			}
		});
		expect(await sys(t).mutation(api.callLine.routeInbound, call('CNEW'))).toEqual({ kind: 'queued', queueName: 'sales', position: POSITION_CAP + 1, positionAtLeast: true });
		// Callers near the front still get their exact place.
		await t.run(async (ctx) => {
			for (const r of await ctx.db.query('incoming_call_queue').collect()) if (r.callSid.startsWith('CW') && Number(r.callSid.slice(2)) >= 3) await ctx.db.delete('incoming_call_queue', r._id);
		});
		expect(await sys(t).mutation(api.callLine.routeInbound, call('CNEW'))).toEqual({ kind: 'queued', queueName: 'sales', position: 4 });
	});



});

describe('a softphone that stops sending heartbeats', () => {
	it('is not offered calls once its last heartbeat is older than the limit, and is again after a new beat', async () => {
		vi.useFakeTimers({ toFake: ['Date'] });
		try {
			vi.setSystemTime(new Date('2026-11-24T09:00:00Z'));
			const t = newConvex();
			// Keep "silent" the longest idle, so only its heartbeat can keep a call from it.
			const idleOrder = () =>
				t.run(async (ctx) => {
					for (const [userId, since] of [['silent', 1], ['steady', 2]] as const) {
						const row = await ctx.db
							.query('agent_status')
							.withIndex('by_userId', (q) => q.eq('userId', userId))
							.unique();
						if (row) await ctx.db.patch('agent_status', row._id, { since });
					}
				});
			const silent = await agent(t, 'silent', ['sales'], 1);
			await agent(t, 'steady', ['sales'], 2);
			// Both beat now; only "steady" keeps beating as time passes.
			vi.setSystemTime(new Date('2026-11-24T09:00:50Z'));
			await as(t, 'agent', 'steady', 'steady').mutation(api.agentStatus.heartbeat, { softphone: 'ready' });
			vi.setSystemTime(new Date('2026-11-24T09:00:59Z'));
			// 59 s after its last beat the silent agent (idle longest) still gets the call.
			expect(await sys(t).mutation(api.callLine.routeInbound, call(`CA${'7'.repeat(32)}`))).toMatchObject({ kind: 'offered', agentId: 'silent' });
			await sys(t).mutation(api.callWrapup.completeCall, { callSid: `CA${'7'.repeat(32)}` });
			await idleOrder();
			vi.setSystemTime(new Date('2026-11-24T09:01:01Z'));
			// 61 s: missed heartbeat, so the call goes to the agent whose softphone is alive.
			expect(await sys(t).mutation(api.callLine.routeInbound, call(`CA${'8'.repeat(32)}`))).toMatchObject({ kind: 'offered', agentId: 'steady' });
			await sys(t).mutation(api.callWrapup.completeCall, { callSid: `CA${'8'.repeat(32)}` });
			await idleOrder();
			vi.setSystemTime(new Date('2026-11-24T09:01:30Z'));
			await silent.mutation(api.agentStatus.heartbeat, { softphone: 'ready' });
			expect(await sys(t).mutation(api.callLine.routeInbound, call(`CA${'9'.repeat(32)}`))).toMatchObject({ kind: 'offered', agentId: 'silent' });
		} finally {
			vi.useRealTimers();
		}
	});
});
