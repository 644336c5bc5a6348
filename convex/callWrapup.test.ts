import { describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import { agent, call, statusOf, sys } from './calls.fixtures';
import { as, newConvex, rejectsWith } from './test.setup';

describe('the end of a call', () => {
	it('accepts only for the ringing agent, then wrap-up, then available', async () => {
		const t = newConvex();
		const a = await agent(t, 'a', ['sales'], 1);
		const other = await agent(t, 'o', ['sales'], 5);
		await sys(t).mutation(api.callLine.routeInbound, call('CA5'));
		await rejectsWith(other.mutation(api.callLine.acceptCall, { callSid: 'CA5' }), 'NOT_OFFERED');
		expect(await a.mutation(api.callLine.acceptCall, { callSid: 'CA5' })).toMatchObject({ via: 'offer' });
		expect(await statusOf(t, 'a')).toBe('busy');
		await rejectsWith(a.mutation(api.callWrapup.finishWrapup, { callSid: 'CA5', agentId: 'a' }), 'FORBIDDEN');
		await rejectsWith(sys(t).mutation(api.callWrapup.finishWrapup, { callSid: 'CA5', agentId: 'a' }), 'CALL_IN_PROGRESS');
		expect(await sys(t).mutation(api.callWrapup.completeCall, { callSid: 'CA5' })).toEqual({ answeredBy: 'a' });
		expect(await statusOf(t, 'a')).toBe('wrapup');
		expect(await sys(t).mutation(api.callWrapup.completeCall, { callSid: 'CA5' })).toEqual({ answeredBy: 'a' });
		await rejectsWith(a.mutation(api.callWrapup.finishWrapup, { callSid: 'CA5', agentId: 'a' }), 'FORBIDDEN');
		await rejectsWith(sys(t).mutation(api.callWrapup.finishWrapup, { callSid: 'CA5', agentId: 'o' }), 'CALL_NOT_FOUND');
		await sys(t).mutation(api.callWrapup.finishWrapup, { callSid: 'CA5', agentId: 'a' });
		expect(await statusOf(t, 'a')).toBe('available');
		expect(await t.run((ctx) => ctx.db.query('active_calls').collect())).toEqual([]);
	});
	it("lists my call in wrap-up with the end of the queue's wrap-up time, to me only", async () => {
		const t = newConvex();
		const a = await agent(t, 'a', ['sales'], 1);
		const b = await agent(t, 'b', ['sales'], 5);
		await sys(t).mutation(api.callLine.routeInbound, call('CA8'));
		await a.mutation(api.callLine.acceptCall, { callSid: 'CA8' });
		expect(await a.query(api.callWrapup.myWrapups, {})).toEqual([]);
		await sys(t).mutation(api.callWrapup.completeCall, { callSid: 'CA8', wrapupSeconds: 45 });
		const [mine, ...more] = await a.query(api.callWrapup.myWrapups, {});
		expect(more).toEqual([]);
		expect(mine).toMatchObject({ callSid: 'CA8', from: '+12125550123', customerId: 'cust-1', customerName: 'Ada Lovelace' });
		expect((mine?.wrapupEndsAt ?? 0) - (mine?.endedAt ?? 0)).toBe(45_000);
		expect(await b.query(api.callWrapup.myWrapups, {})).toEqual([]);
		await sys(t).mutation(api.callWrapup.endWrapup, { callSid: 'CA8' });
		expect(await a.query(api.callWrapup.myWrapups, {})).toEqual([]);
	});
	it('frees a ringing agent when the caller hangs up first, and refuses browsers the system functions', async () => {
		const t = newConvex();
		await agent(t, 'a', ['sales'], 1);
		await sys(t).mutation(api.callLine.routeInbound, call('CA6'));
		expect(await sys(t).mutation(api.callWrapup.completeCall, { callSid: 'CA6' })).toEqual({ answeredBy: null });
		expect(await statusOf(t, 'a')).toBe('available');
		await rejectsWith(as(t, 'agent', 'a').mutation(api.callLine.routeInbound, call('CA7')), 'FORBIDDEN');
	});
});
