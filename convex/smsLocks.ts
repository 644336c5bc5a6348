/**
 * Hard thread locks: who may reply in an SMS thread right now. Starting a reply takes a short
 * lease that the open composer renews by heartbeat; it lapses on its own after LEASE_MS of
 * silence. Mutations are serializable, so of many agents racing for one thread exactly one
 * holds it. A supervisor can take a lock over; the row keeps whom it was taken from, so that
 * agent's composer can say so, and their next heartbeat fails instead of winning it back.
 * The server's send path calls `assertHolder`, so a send into someone else's thread is refused
 * on the server whatever the browser shows.
 */
import { v } from 'convex/values';
import type { Doc } from './_generated/dataModel';
import type { MutationCtx, QueryCtx } from './_generated/server';
import { internal } from './_generated/api';
import { agentMutation, agentQuery, internalMutation, supervisorMutation, systemMutation, type Caller } from './lib/functions';
import { fail } from './lib/errors';
import { vSmsThreadLock } from './schema';
import { SMS_THREAD_KEY } from '../src/lib/phone-rules';

/** How long a lease lasts without a heartbeat; composers beat every few seconds. */
export const LEASE_MS = 20_000;
const MAX_THREAD_KEY = 64;

/** What clients see of a lock: the table's own fields, without Convex's system fields. */
const vLockView = vSmsThreadLock;

type Lock = Doc<'sms_thread_locks'>;

function view(row: Lock) {
	const { _id: _i, _creationTime: _c, ...rest } = row;
	return rest;
}

function checkKey(threadKey: string): string {
	if (!SMS_THREAD_KEY.test(threadKey) || threadKey.length > MAX_THREAD_KEY) {
		fail('BAD_REQUEST', 'INVALID_THREAD_KEY', 'threadKey must be "customerNumber|ourNumber", both E.164.');
	}
	return threadKey;
}

async function lockOf(ctx: QueryCtx | MutationCtx, threadKey: string): Promise<Lock | null> {
	return ctx.db
		.query('sms_thread_locks')
		.withIndex('by_threadKey', (q) => q.eq('threadKey', threadKey))
		.unique();
}

const live = (lock: Lock | null, now: number): lock is Lock => lock !== null && lock.expiresAt > now;

function heldBy(lock: Lock): never {
	fail(
		'CONFLICT',
		'LOCK_HELD_BY',
		`${lock.holderName} is replying in this conversation; wait until they finish or ask a supervisor to take over.`
	);
}

/** Give the lock to `who`, keeping `acquiredAt` when they already held it. */
async function grant(ctx: MutationCtx, threadKey: string, lock: Lock | null, who: { userId: string; name: string }, now: number) {
	const fresh = { holderId: who.userId, holderName: who.name, expiresAt: now + LEASE_MS };
	if (!lock) {
		const id = await ctx.db.insert('sms_thread_locks', { threadKey, ...fresh, acquiredAt: now });
		const row = await ctx.db.get('sms_thread_locks', id);
		if (!row) throw new Error('sms_thread_locks row vanished after insert');
		return view(row);
	}
	const same = lock.holderId === who.userId;
	const patch = same
		? fresh
		: { ...fresh, acquiredAt: now, previousHolderId: undefined, previousHolderName: undefined, takenOverAt: undefined };
	await ctx.db.patch('sms_thread_locks', lock._id, patch);
	return view({ ...lock, ...patch });
}

function person(caller: Caller) {
	return { userId: caller.userId, name: caller.name };
}

/** The thread's lock as it stands (the client compares `expiresAt` with its clock), or null. */
export const forThread = agentQuery({
	args: { threadKey: v.string() },
	returns: v.union(vLockView, v.null()),
	handler: async (ctx, { threadKey }) => {
		const lock = await lockOf(ctx, checkKey(threadKey));
		return lock ? view(lock) : null;
	}
});

/** Locks the inbox list shows ("Bob is replying"), at most this many. */
const MAX_LISTED = 500;

/**
 * Current locks for the inbox list, latest lease end first, so live ones always make the list
 * however many rows there are. Lapsed leases stay until the sweep (or a new reply) removes
 * them, so clients drop rows whose `expiresAt` has passed by their own clock.
 */
export const active = agentQuery({
	args: {},
	returns: v.array(vLockView),
	handler: async (ctx) =>
		(await ctx.db.query('sms_thread_locks').withIndex('by_expiresAt').order('desc').take(MAX_LISTED)).map(view)
});

/** Leases lapsed this long are deleted by the sweep (a composer left open that long takes a new lease). */
export const SWEEP_AFTER_MS = 10 * 60_000;
/** Rows one sweep run deletes; a fuller backlog continues in a scheduled run, within Convex's write limits. */
export const SWEEP_BATCH = 200;

/** Deletes leases that lapsed more than SWEEP_AFTER_MS ago (crons.ts runs it every few minutes). */
export const sweepLapsed = internalMutation({
	args: {},
	returns: v.object({ deleted: v.number(), more: v.boolean() }),
	handler: async (ctx) => {
		const cutoff = Date.now() - SWEEP_AFTER_MS;
		const rows = await ctx.db
			.query('sms_thread_locks')
			.withIndex('by_expiresAt', (q) => q.lt('expiresAt', cutoff))
			.take(SWEEP_BATCH + 1);
		const batch = rows.slice(0, SWEEP_BATCH);
		for (const row of batch) await ctx.db.delete('sms_thread_locks', row._id);
		const more = rows.length > SWEEP_BATCH;
		if (more) await ctx.scheduler.runAfter(0, internal.smsLocks.sweepLapsed, {});
		return { deleted: batch.length, more };
	}
});

/** Start replying: take the lease, or renew it when the caller holds it. LOCK_HELD_BY while someone else does. */
export const acquire = agentMutation({
	args: { threadKey: v.string() },
	returns: vLockView,
	handler: async (ctx, { threadKey }) => {
		const now = Date.now();
		const lock = await lockOf(ctx, checkKey(threadKey));
		if (live(lock, now) && lock.holderId !== ctx.caller.userId) heldBy(lock);
		return grant(ctx, threadKey, lock, person(ctx.caller), now);
	}
});

/**
 * Keep the lease while the composer is open. Only the current holder renews; after a takeover
 * (or once someone else took a lapsed lease) it fails with LOCK_LOST and changes nothing.
 */
export const heartbeat = agentMutation({
	args: { threadKey: v.string() },
	returns: vLockView,
	handler: async (ctx, { threadKey }) => {
		const now = Date.now();
		const lock = await lockOf(ctx, checkKey(threadKey));
		if (!lock || lock.holderId !== ctx.caller.userId) {
			const by = lock ? ` ${lock.holderName} has it now.` : '';
			fail(
				'CONFLICT',
				'LOCK_LOST',
				`You no longer hold this conversation.${by} Start replying again to take it when it is free.`
			);
		}
		await ctx.db.patch('sms_thread_locks', lock._id, { expiresAt: now + LEASE_MS });
		return view({ ...lock, expiresAt: now + LEASE_MS });
	}
});

/** Stop replying (sent, or left the thread). Releasing a lock the caller does not hold is a no-op. */
export const release = agentMutation({
	args: { threadKey: v.string() },
	returns: v.boolean(),
	handler: async (ctx, { threadKey }) => {
		const lock = await lockOf(ctx, checkKey(threadKey));
		if (!lock || lock.holderId !== ctx.caller.userId) return false;
		await ctx.db.delete('sms_thread_locks', lock._id);
		return true;
	}
});

/** A supervisor takes the thread; the agent who held it is recorded so their composer can tell them. */
export const takeOver = supervisorMutation({
	args: { threadKey: v.string() },
	returns: vLockView,
	handler: async (ctx, { threadKey }) => {
		const now = Date.now();
		const lock = await lockOf(ctx, checkKey(threadKey));
		if (!live(lock, now) || lock.holderId === ctx.caller.userId) return grant(ctx, threadKey, lock, person(ctx.caller), now);
		const patch = {
			holderId: ctx.caller.userId,
			holderName: ctx.caller.name,
			acquiredAt: now,
			expiresAt: now + LEASE_MS,
			previousHolderId: lock.holderId,
			previousHolderName: lock.holderName,
			takenOverAt: now
		};
		await ctx.db.patch('sms_thread_locks', lock._id, patch);
		return view({ ...lock, ...patch });
	}
});

/**
 * The send path's check, run by the server before it sends as `userId`: refuses with
 * LOCK_HELD_BY while someone else holds a live lease; otherwise the sender holds the lock
 * (taking it when free) until `releaseFor` after the send, so nobody slips in meanwhile.
 */
export const assertHolder = systemMutation({
	args: { threadKey: v.string(), userId: v.string(), userName: v.string() },
	returns: vLockView,
	handler: async (ctx, { threadKey, userId, userName }) => {
		const now = Date.now();
		const lock = await lockOf(ctx, checkKey(threadKey));
		if (live(lock, now) && lock.holderId !== userId) heldBy(lock);
		return grant(ctx, threadKey, lock, { userId, name: userName }, now);
	}
});

/** Release on the sender's behalf once the server has sent. */
export const releaseFor = systemMutation({
	args: { threadKey: v.string(), userId: v.string() },
	returns: v.boolean(),
	handler: async (ctx, { threadKey, userId }) => {
		const lock = await lockOf(ctx, checkKey(threadKey));
		if (!lock || lock.holderId !== userId) return false;
		await ctx.db.delete('sms_thread_locks', lock._id);
		return true;
	}
});
