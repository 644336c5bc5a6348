import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, internal } from './_generated/api';
import { LEASE_MS, SWEEP_AFTER_MS, SWEEP_BATCH } from './smsLocks';
import { as, newConvex, rejectsWith } from './test.setup';

const threadKey = '+14155550123|+14155550000';
const T0 = new Date('2026-11-24T09:00:00Z').getTime();

beforeEach(() => {
	vi.useFakeTimers({ toFake: ['Date'] });
	vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

const locks = (t: ReturnType<typeof newConvex>) => t.run((ctx) => ctx.db.query('sms_thread_locks').collect());

describe('smsLocks', () => {
	it('gives the lease to the first agent and refuses the second with the holder named', async () => {
		const t = newConvex();
		const ann = as(t, 'agent', 'u-ann', 'Ann Lee');
		const bob = as(t, 'agent', 'u-bob', 'Bob Ray');
		expect(await ann.mutation(api.smsLocks.acquire, { threadKey })).toMatchObject({
			holderId: 'u-ann',
			holderName: 'Ann Lee',
			acquiredAt: T0,
			expiresAt: T0 + LEASE_MS
		});
		await expect(bob.mutation(api.smsLocks.acquire, { threadKey })).rejects.toMatchObject({
			data: {
				code: 'LOCK_HELD_BY',
				kind: 'CONFLICT',
				message: expect.stringMatching(/^Ann Lee is replying in this conversation/)
			}
		});
		expect(await bob.query(api.smsLocks.forThread, { threadKey })).toMatchObject({ holderId: 'u-ann' });
		expect(await locks(t)).toHaveLength(1);
	});

	it('lists every thread being replied in for the inbox, and drops a lock once released', async () => {
		const t = newConvex();
		const ann = as(t, 'agent', 'u-ann', 'Ann Lee');
		const bob = as(t, 'agent', 'u-bob', 'Bob Ray');
		const other = '+14155550999|+14155550000';
		await ann.mutation(api.smsLocks.acquire, { threadKey });
		await bob.mutation(api.smsLocks.acquire, { threadKey: other });
		const listed = await bob.query(api.smsLocks.active, {});
		expect(listed.map((l) => [l.threadKey, l.holderName]).sort()).toEqual([
			[threadKey, 'Ann Lee'],
			[other, 'Bob Ray']
		]);
		await ann.mutation(api.smsLocks.release, { threadKey });
		expect((await bob.query(api.smsLocks.active, {})).map((l) => l.threadKey)).toEqual([other]);
		await rejectsWith(t.query(api.smsLocks.active, {}), 'UNAUTHENTICATED');
	});

	it('lets the holder renew and re-acquire, keeping when they started', async () => {
		const t = newConvex();
		const ann = as(t, 'agent', 'u-ann');
		await ann.mutation(api.smsLocks.acquire, { threadKey });
		vi.setSystemTime(T0 + 15_000);
		expect(await ann.mutation(api.smsLocks.heartbeat, { threadKey })).toMatchObject({
			acquiredAt: T0,
			expiresAt: T0 + 15_000 + LEASE_MS
		});
		vi.setSystemTime(T0 + 30_000);
		// Still within the renewed lease: nobody else can take it.
		await rejectsWith(as(t, 'agent', 'u-bob').mutation(api.smsLocks.acquire, { threadKey }), 'LOCK_HELD_BY');
		expect(await ann.mutation(api.smsLocks.acquire, { threadKey })).toMatchObject({
			acquiredAt: T0,
			expiresAt: T0 + 30_000 + LEASE_MS
		});
	});

	it('lets another agent take an expired lease, and the old holder cannot heartbeat it back', async () => {
		const t = newConvex();
		const ann = as(t, 'agent', 'u-ann', 'Ann');
		const bob = as(t, 'agent', 'u-bob', 'Bob');
		await ann.mutation(api.smsLocks.acquire, { threadKey });
		vi.setSystemTime(T0 + LEASE_MS - 1);
		await rejectsWith(bob.mutation(api.smsLocks.acquire, { threadKey }), 'LOCK_HELD_BY');
		vi.setSystemTime(T0 + LEASE_MS);
		expect(await bob.mutation(api.smsLocks.acquire, { threadKey })).toMatchObject({
			holderId: 'u-bob',
			acquiredAt: T0 + LEASE_MS
		});
		await expect(ann.mutation(api.smsLocks.heartbeat, { threadKey })).rejects.toMatchObject({
			data: { code: 'LOCK_LOST', message: expect.stringMatching(/Bob has it now/) }
		});
		expect(await locks(t)).toEqual([expect.objectContaining({ holderId: 'u-bob' })]);
	});

	it('lets a supervisor take over, records whom from, and a later heartbeat does not restore the agent', async () => {
		const t = newConvex();
		const ann = as(t, 'agent', 'u-ann', 'Ann');
		const sue = as(t, 'supervisor', 'u-sue', 'Sue');
		await ann.mutation(api.smsLocks.acquire, { threadKey });
		await rejectsWith(as(t, 'agent', 'u-bob').mutation(api.smsLocks.takeOver, { threadKey }), 'FORBIDDEN');
		vi.setSystemTime(T0 + 5_000);
		expect(await sue.mutation(api.smsLocks.takeOver, { threadKey })).toMatchObject({
			holderId: 'u-sue',
			holderName: 'Sue',
			previousHolderId: 'u-ann',
			previousHolderName: 'Ann',
			takenOverAt: T0 + 5_000
		});
		await rejectsWith(ann.mutation(api.smsLocks.heartbeat, { threadKey }), 'LOCK_LOST');
		await rejectsWith(ann.mutation(api.smsLocks.acquire, { threadKey }), 'LOCK_HELD_BY');
		expect(await ann.mutation(api.smsLocks.release, { threadKey })).toBe(false);
		expect(await ann.query(api.smsLocks.forThread, { threadKey })).toMatchObject({
			holderId: 'u-sue',
			previousHolderId: 'u-ann'
		});
		// Once the supervisor lets go, the next holder starts clean.
		expect(await sue.mutation(api.smsLocks.release, { threadKey })).toBe(true);
		const again = await ann.mutation(api.smsLocks.acquire, { threadKey });
		expect(again.previousHolderId).toBeUndefined();
	});

	it('releases only for the holder', async () => {
		const t = newConvex();
		await as(t, 'agent', 'u-ann').mutation(api.smsLocks.acquire, { threadKey });
		expect(await as(t, 'agent', 'u-bob').mutation(api.smsLocks.release, { threadKey })).toBe(false);
		expect(await as(t, 'agent', 'u-ann').mutation(api.smsLocks.release, { threadKey })).toBe(true);
		expect(await as(t, 'agent', 'u-ann').query(api.smsLocks.forThread, { threadKey })).toBeNull();
	});

	it('refuses the send path for a non-holder, claims a free thread for the sender, and is server-only', async () => {
		const t = newConvex();
		const server = as(t, 'system', 'switchboard', 'Switchboard server');
		await as(t, 'agent', 'u-ann', 'Ann').mutation(api.smsLocks.acquire, { threadKey });
		await expect(
			server.mutation(api.smsLocks.assertHolder, { threadKey, userId: 'u-bob', userName: 'Bob' })
		).rejects.toMatchObject({
			data: { code: 'LOCK_HELD_BY', message: expect.stringMatching(/^Ann is replying/) }
		});
		expect(await server.mutation(api.smsLocks.assertHolder, { threadKey, userId: 'u-ann', userName: 'Ann' })).toMatchObject({
			holderId: 'u-ann'
		});
		const other = '+14155550124|+14155550000';
		expect(
			await server.mutation(api.smsLocks.assertHolder, { threadKey: other, userId: 'u-bob', userName: 'Bob' })
		).toMatchObject({ holderId: 'u-bob' });
		await rejectsWith(as(t, 'agent', 'u-ann').mutation(api.smsLocks.acquire, { threadKey: other }), 'LOCK_HELD_BY');
		expect(await server.mutation(api.smsLocks.releaseFor, { threadKey: other, userId: 'u-bob' })).toBe(true);
		await rejectsWith(
			as(t, 'agent', 'u-bob').mutation(api.smsLocks.assertHolder, { threadKey, userId: 'u-bob', userName: 'Bob' }),
			'FORBIDDEN'
		);
	});

	it('refuses malformed thread keys and anonymous callers', async () => {
		const t = newConvex();
		await rejectsWith(as(t, 'agent').mutation(api.smsLocks.acquire, { threadKey: 'thread-1' }), 'INVALID_THREAD_KEY');
		await rejectsWith(t.mutation(api.smsLocks.acquire, { threadKey }), 'UNAUTHENTICATED');
		expect(await locks(t)).toEqual([]);
	});

	it('lists a new lock even with 600 older rows in the table', async () => {
		const t = newConvex();
		await t.run(async (ctx) => {
			for (let i = 0; i < 600; i++) {
				const key = `+1212555${String(i).padStart(4, '0')}|+14155550000`;
				await ctx.db.insert('sms_thread_locks', { threadKey: key, holderId: 'u-old', holderName: 'Old', acquiredAt: T0 - 3_600_000, expiresAt: T0 - 3_600_000 + LEASE_MS });
			}
		});
		await as(t, 'agent', 'u-ann', 'Ann Lee').mutation(api.smsLocks.acquire, { threadKey });
		const listed = await as(t, 'agent', 'u-bob').query(api.smsLocks.active, {});
		expect(listed).toHaveLength(500);
		expect(listed[0]).toMatchObject({ threadKey, holderId: 'u-ann' });
	});

	it('sweeps leases lapsed long ago in batches, keeping live and recently lapsed ones', async () => {
		const t = newConvex();
		const old = T0 - SWEEP_AFTER_MS - LEASE_MS - 1;
		await t.run(async (ctx) => {
			for (let i = 0; i < SWEEP_BATCH + 5; i++) {
				const key = `+1212555${String(i).padStart(4, '0')}|+14155550000`;
				await ctx.db.insert('sms_thread_locks', { threadKey: key, holderId: 'u-old', holderName: 'Old', acquiredAt: old, expiresAt: old + LEASE_MS });
			}
			await ctx.db.insert('sms_thread_locks', { threadKey: '+14155559998|+14155550000', holderId: 'u-x', holderName: 'X', acquiredAt: T0 - 60_000, expiresAt: T0 - 40_000 });
		});
		await as(t, 'agent', 'u-ann', 'Ann Lee').mutation(api.smsLocks.acquire, { threadKey });
		expect(await t.mutation(internal.smsLocks.sweepLapsed, {})).toEqual({ deleted: SWEEP_BATCH, more: true });
		const scheduled = await t.run((ctx) => ctx.db.system.query('_scheduled_functions').collect());
		expect(scheduled.map((s) => s.name)).toEqual(['smsLocks:sweepLapsed']);
		expect(await t.mutation(internal.smsLocks.sweepLapsed, {})).toEqual({ deleted: 5, more: false });
		expect((await locks(t)).map((l) => l.holderId).sort()).toEqual(['u-ann', 'u-x']);
	});
});
