import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api } from './_generated/api';
import { CLOSED_ROW_MS } from './transfers';
import { as, newConvex, type TestConvex } from './test.setup';

const T0 = new Date('2026-12-06T09:00:00Z').getTime();
beforeEach(() => {
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

async function floor(t: TestConvex) {
	await t.run(async (ctx) => {
		for (const [userId, name, status] of [
			['u-ann', 'Ann Lee', 'busy'],
			['u-bob', 'Bob Ray', 'available'],
			['u-cy', 'Cy Dee', 'offline']
		] as const) {
			await ctx.db.insert('agent_status', { userId, name, role: 'agent', status, since: T0 - 60_000, softphone: 'ready', lastSeenAt: T0 });
		}
		await ctx.db.insert('active_calls', {
			callSid: 'CA-ann',
			parentCallSid: 'CA-cust',
			direction: 'inbound',
			agentId: 'u-ann',
			from: '+12125550123',
			to: '+14155550100',
			state: 'in-progress',
			startedAt: T0 - 30_000,
			muted: false,
			recording: true,
			queueName: 'sales'
		});
	});
}

const base = {
	callSid: 'CA-ann',
	customerCallSid: 'CA-cust',
	fromAgentId: 'u-ann',
	fromAgentName: 'Ann Lee',
	callerNumber: '+12125550123',
	originalQueue: 'sales',
	note: 'Wants a refund',
	offerSeconds: 30
};

const status = (t: TestConvex, userId: string) =>
	t.run(async (ctx) => (await ctx.db.query('agent_status').collect()).find((a) => a.userId === userId)?.status);

describe('transfers', () => {
	it('offers a warm transfer to an available agent, who rings; accept then complete', async () => {
		const t = newConvex();
		await floor(t);
		const sys = as(t, 'system');
		const offered = await sys.mutation(api.transfers.offer, { ...base, transferId: 't1', kind: 'warm', targetKind: 'agent', toAgentId: 'u-bob' });
		expect(offered).toMatchObject({ ok: true, row: { phase: 'ringing', toAgentName: 'Bob Ray', expiresAt: T0 + 30_000 } });
		expect(await status(t, 'u-bob')).toBe('ringing');
		const bob = as(t, 'agent', 'u-bob');
		expect((await bob.query(api.transfers.mine, {})).offered).toMatchObject([{ transferId: 't1', note: 'Wants a refund' }]);
		// Ann cannot answer Bob's offer; Bob cannot complete Ann's transfer.
		expect(await sys.mutation(api.transfers.advance, { transferId: 't1', event: 'target-answered', actorId: 'u-ann' })).toMatchObject({ ok: false, code: 'NOT_YOURS' });
		expect(await sys.mutation(api.transfers.advance, { transferId: 't1', event: 'target-answered', actorId: 'u-bob' })).toMatchObject({ ok: true, row: { phase: 'consulting' } });
		expect(await status(t, 'u-bob')).toBe('busy');
		expect(await sys.mutation(api.transfers.advance, { transferId: 't1', event: 'complete', actorId: 'u-bob' })).toMatchObject({ ok: false, code: 'NOT_YOURS' });
		const done = await sys.mutation(api.transfers.advance, { transferId: 't1', event: 'complete', actorId: 'u-ann' });
		expect(done).toMatchObject({ ok: true, row: { phase: 'completed', outcome: 'completed' } });
		expect(await sys.mutation(api.transfers.advance, { transferId: 't1', event: 'complete', actorId: 'u-ann' })).toMatchObject({ ok: false, code: 'TRANSFER_FINISHED' });
		expect(await status(t, 'u-bob')).toBe('busy');
	});

	it('refuses yourself, an offline agent, a second transfer of the same call, and an ended call', async () => {
		const t = newConvex();
		await floor(t);
		const sys = as(t, 'system');
		const to = (toAgentId: string, transferId: string) => sys.mutation(api.transfers.offer, { ...base, transferId, kind: 'cold', targetKind: 'agent', toAgentId });
		expect(await to('u-ann', 'a')).toMatchObject({ ok: false, code: 'TRANSFER_TO_SELF' });
		expect(await to('u-cy', 'b')).toMatchObject({ ok: false, code: 'TARGET_UNAVAILABLE', message: 'Cy Dee is offline; choose someone available.' });
		expect(await to('u-nobody', 'c')).toMatchObject({ ok: false, code: 'TARGET_UNAVAILABLE' });
		expect(await to('u-bob', 'd')).toMatchObject({ ok: true, row: { phase: 'blind_ringing' } });
		expect(await sys.mutation(api.transfers.offer, { ...base, transferId: 'e', kind: 'cold', targetKind: 'queue', toQueue: 'support' })).toMatchObject({
			ok: false,
			code: 'TRANSFER_IN_PROGRESS'
		});
		expect(await sys.mutation(api.transfers.offer, { ...base, callSid: 'CA-gone', transferId: 'f', kind: 'cold', targetKind: 'queue', toQueue: 'support' })).toMatchObject({
			ok: false,
			code: 'CALL_ENDED'
		});
		expect(await t.run((ctx) => ctx.db.query('transfer_queue').collect())).toHaveLength(1);
	});

	it('the first agent is in wrap-up as the transfer takes them off the call; the target has the call, and its end', async () => {
		const t = newConvex();
		await floor(t);
		const sys = as(t, 'system');
		await sys.mutation(api.transfers.offer, { ...base, transferId: '0b9e5c1e-5d4f-4a8e-9a57-2f0c7d1e3b42', kind: 'warm', targetKind: 'agent', toAgentId: 'u-bob', wrapupSeconds: 45 });
		await sys.mutation(api.transfers.advance, { transferId: '0b9e5c1e-5d4f-4a8e-9a57-2f0c7d1e3b42', event: 'target-answered', actorId: 'u-bob' });
		// Consulting: both on the call, nobody in wrap-up yet.
		expect([await status(t, 'u-ann'), await status(t, 'u-bob')]).toEqual(['busy', 'busy']);
		vi.setSystemTime(T0 + 10_000);
		await sys.mutation(api.transfers.advance, { transferId: '0b9e5c1e-5d4f-4a8e-9a57-2f0c7d1e3b42', event: 'complete', actorId: 'u-ann', wrapupSeconds: 45 });
		expect(await status(t, 'u-ann')).toBe('wrapup');
		const handoff = 'CA0b9e5c1e5d4f4a8e9a572f0c7d1e3b42';
		expect(await as(t, 'agent', 'u-ann').query(api.callWrapup.myWrapups, {})).toEqual([
			{ callSid: handoff, from: '+12125550123', customerId: null, customerName: null, endedAt: T0 + 10_000, wrapupEndsAt: T0 + 55_000, handoffOf: 'CA-ann' }
		]);
		// The call's row is Bob's now (his leg row gone): the caller hanging up puts him in wrap-up, like any call.
		const rows = await t.run((ctx) => ctx.db.query('active_calls').collect());
		expect(rows.map((r) => `${r.callSid} ${r.agentId} ${r.state}`).sort()).toEqual([`CA-ann u-bob in-progress`, `${handoff} u-ann wrapup`]);
		await sys.mutation(api.callWrapup.completeCall, { callSid: 'CA-ann', wrapupSeconds: 30 });
		expect(await status(t, 'u-bob')).toBe('wrapup');
		expect(await as(t, 'agent', 'u-bob').query(api.callWrapup.myWrapups, {})).toMatchObject([{ callSid: 'CA-ann', handoffOf: null }]);
		// Each one's wrap-up ends on its own.
		await sys.mutation(api.callWrapup.endWrapup, { callSid: handoff });
		expect([await status(t, 'u-ann'), await status(t, 'u-bob')]).toEqual(['available', 'wrapup']);
	});

	it('a cold transfer releases the first agent at once; until the target answers the call is nobody\'s', async () => {
		const t = newConvex();
		await floor(t);
		const sys = as(t, 'system');
		await sys.mutation(api.transfers.offer, { ...base, transferId: '1b9e5c1e-5d4f-4a8e-9a57-2f0c7d1e3b42', kind: 'cold', targetKind: 'agent', toAgentId: 'u-bob' });
		expect([await status(t, 'u-ann'), await status(t, 'u-bob')]).toEqual(['wrapup', 'ringing']);
		expect(await as(t, 'agent', 'u-ann').query(api.callControl.mine, {})).toBeNull();
		// The wallboard names where the call is going, never the row's placeholder id.
		const ringing = (await as(t, 'manager').query(api.callBoard.board, {})).active.find((c) => c.callSid === 'CA-ann');
		expect(ringing).toMatchObject({ transferringTo: 'Transferring to Bob Ray' });
		expect(JSON.stringify(await as(t, 'agent', 'u-ann').query(api.callWrapup.myWrapups, {}))).not.toContain('transfer:');
		await sys.mutation(api.transfers.advance, { transferId: '1b9e5c1e-5d4f-4a8e-9a57-2f0c7d1e3b42', event: 'target-answered', actorId: 'u-bob' });
		expect(await as(t, 'agent', 'u-bob').query(api.callControl.mine, {})).toMatchObject({ callSid: 'CA-ann', state: 'in-progress' });
		expect([await status(t, 'u-ann'), await status(t, 'u-bob')]).toEqual(['wrapup', 'busy']);
		const answered = (await as(t, 'manager').query(api.callBoard.board, {})).active.find((c) => c.callSid === 'CA-ann');
		expect(answered?.transferringTo).toBeUndefined();
	});

	it('a queue transfer picked up by another agent: one row for the call, theirs', async () => {
		const t = newConvex();
		await floor(t);
		const sys = as(t, 'system');
		await sys.mutation(api.transfers.offer, { ...base, transferId: '2c8e5c1e-5d4f-4a8e-9a57-2f0c7d1e3b43', kind: 'cold', targetKind: 'queue', toQueue: 'billing' });
		await sys.mutation(api.transfers.requeueCaller, { callSid: 'CA-ann', from: '+12125550123', to: '+14155550100', queueName: 'billing', requiredSkills: [] });
		expect(await sys.mutation(api.callLine.claimFromQueue, { agentId: 'u-bob', queueName: 'billing' })).toMatchObject({ callSid: 'CA-ann', claimed: true });
		const rows = await t.run(async (ctx) => (await ctx.db.query('active_calls').collect()).filter((r) => r.callSid === 'CA-ann'));
		expect(rows.map((r) => [r.agentId, r.state])).toEqual([['u-bob', 'in-progress']]);
		expect(await as(t, 'agent', 'u-bob').query(api.callControl.mine, {})).toMatchObject({ callSid: 'CA-ann' });
	});

	it('declined: the target is free again and the first agent has the customer back', async () => {
		const t = newConvex();
		await floor(t);
		const sys = as(t, 'system');
		await sys.mutation(api.transfers.offer, { ...base, transferId: 't2', kind: 'warm', targetKind: 'agent', toAgentId: 'u-bob' });
		const declined = await sys.mutation(api.transfers.advance, { transferId: 't2', event: 'target-declined', actorId: 'u-bob' });
		expect(declined).toMatchObject({ ok: true, row: { phase: 'returned', outcome: 'declined' } });
		expect(declined.ok && declined.effects.map((e) => e.type)).toEqual(['unhold-customer', 'drop-target', 'close']);
		expect(await status(t, 'u-bob')).toBe('available');
	});

	it('times out unanswered offers in the sweep and removes closed rows after their minute', async () => {
		const t = newConvex();
		await floor(t);
		const sys = as(t, 'system');
		await sys.mutation(api.transfers.offer, { ...base, transferId: 't3', kind: 'cold', targetKind: 'agent', toAgentId: 'u-bob' });
		expect(await sys.mutation(api.transfers.expireOffers, {})).toEqual([]);
		vi.setSystemTime(T0 + 30_000);
		const moves = await sys.mutation(api.transfers.expireOffers, {});
		expect(moves).toMatchObject([{ row: { transferId: 't3', phase: 'requeued', outcome: 'timeout' } }]);
		expect(moves[0]?.effects).toContainEqual({ type: 'requeue-customer', queue: 'original' });
		expect(await status(t, 'u-bob')).toBe('available');
		vi.setSystemTime(T0 + 30_000 + CLOSED_ROW_MS);
		await sys.mutation(api.transfers.expireOffers, {});
		expect(await t.run((ctx) => ctx.db.query('transfer_queue').collect())).toEqual([]);
	});

	it('only the server may offer or move; agents read only their own', async () => {
		const t = newConvex();
		await floor(t);
		await expect(as(t, 'agent', 'u-ann').mutation(api.transfers.offer, { ...base, transferId: 'x', kind: 'cold', targetKind: 'queue', toQueue: 'q' })).rejects.toMatchObject({
			data: { code: 'FORBIDDEN' }
		});
		await as(t, 'system').mutation(api.transfers.offer, { ...base, transferId: 't4', kind: 'warm', targetKind: 'agent', toAgentId: 'u-bob' });
		expect(await as(t, 'agent', 'u-cy').query(api.transfers.mine, {})).toEqual({ offered: [], started: [] });
	});
});
