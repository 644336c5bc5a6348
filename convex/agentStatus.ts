/**
 * Agent presence: who is available, busy, away or on a call. The whole roster is the wallboard's,
 * so supervisors and admins read it (like the page); each staff member reads and sets their own
 * status (`mine`); the server keeps the roster in line with the archive's staff users.
 */
import { v } from 'convex/values';
import type { Doc } from './_generated/dataModel';
import type { MutationCtx, QueryCtx } from './_generated/server';
import { agentMutation, agentQuery, managerQuery, systemMutation, systemQuery, type Caller } from './lib/functions';
import { fail } from './lib/errors';
import { vAgentPresence, vMissedCall, vRole, vSelectableStatus, vSoftphoneState } from './schema';

const vAgentView = v.object({
	userId: v.string(),
	name: v.string(),
	role: vRole,
	status: vAgentPresence,
	since: v.number(),
	softphone: vSoftphoneState,
	/** The last heartbeat, to HEARTBEAT_BUCKET_MS; the wallboard flags a softphone whose beats stopped. */
	heartbeatAt: v.union(v.number(), v.null()),
	missedCalls: v.number(),
	lastMissed: v.union(vMissedCall, v.null()),
	/** On a call or in its wrap-up: the status follows the call, and the picker is locked. */
	onCall: v.boolean()
});

/** Heartbeats are shown to the wallboard at this resolution. */
export const HEARTBEAT_BUCKET_MS = 30_000;

/** What clients see: the heartbeat only to 30 s, so a heartbeat does not repaint every wallboard. */
function view(row: Doc<'agent_status'>) {
	return {
		userId: row.userId,
		name: row.name,
		role: row.role,
		status: row.status,
		since: row.since,
		softphone: row.softphone,
		heartbeatAt: row.seenBucket ?? null,
		missedCalls: row.missedCalls ?? 0,
		lastMissed: row.lastMissed ?? null,
		onCall: row.activeCallSid !== undefined
	};
}

async function findByUser(ctx: QueryCtx | MutationCtx, userId: string) {
	return ctx.db
		.query('agent_status')
		.withIndex('by_userId', (q) => q.eq('userId', userId))
		.unique();
}

/** The caller's row, created on first use when start-up hydration has not seen them yet. */
async function ensureOwnRow(ctx: MutationCtx, caller: Caller): Promise<Doc<'agent_status'>> {
	const existing = await findByUser(ctx, caller.userId);
	if (existing) return existing;
	if (caller.role === 'system') fail('FORBIDDEN', 'FORBIDDEN', 'The Switchboard server has no agent status of its own.');
	const id = await ctx.db.insert('agent_status', {
		userId: caller.userId,
		name: caller.name,
		role: caller.role,
		status: 'offline',
		since: Date.now(),
		softphone: 'unregistered'
	});
	const row = await ctx.db.get('agent_status', id);
	if (!row) throw new Error('agent_status row vanished after insert');
	return row;
}

export const list = managerQuery({
	args: {},
	returns: v.array(vAgentView),
	handler: async (ctx) => {
		const rows = await ctx.db.query('agent_status').collect();
		return rows.map(view).sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
	}
});

/** Each agent's status and since when: the server logs it for occupancy in history (reporting/agent-state-recorder.ts). */
export const presence = systemQuery({
	args: {},
	returns: v.array(v.object({ userId: v.string(), status: vAgentPresence, since: v.number() })),
	handler: async (ctx) => {
		const rows = await ctx.db.query('agent_status').collect();
		return rows.map((r) => ({ userId: r.userId, status: r.status, since: r.since }));
	}
});

export const mine = agentQuery({
	args: {},
	returns: v.union(vAgentView, v.null()),
	handler: async (ctx) => {
		const row = await findByUser(ctx, ctx.caller.userId);
		return row ? view(row) : null;
	}
});

/** Set the caller's own status. Setting the status they already have changes nothing (not even `since`). */
export const setMine = agentMutation({
	args: { status: vSelectableStatus },
	returns: vAgentView,
	handler: async (ctx, { status }) => {
		const row = await ensureOwnRow(ctx, ctx.caller);
		if (row.status === 'ringing') {
			fail('CONFLICT', 'CALL_RINGING', 'A call is ringing for you; answer or decline it before changing your status.');
		}
		// Wrap-up ends through the server (saved form, Ready now, or its time running out), which
		// records it in the archive; a call ends when it hangs up. The picker cannot jump either.
		if (row.status === 'wrapup') {
			fail('CONFLICT', 'WRAPUP_OPEN', 'Finish wrap-up (save the form or choose Ready now) before changing your status.');
		}
		if (row.activeCallSid !== undefined && row.status !== status) {
			fail('CONFLICT', 'ON_CALL', 'You are on a call; change your status once it has ended.');
		}
		if (row.status === status) return view(row);
		const since = Date.now();
		await ctx.db.patch('agent_status', row._id, { status, since });
		return view({ ...row, status, since });
	}
});

/** A browser's periodic sign of life, with its softphone's health. */
export const heartbeat = agentMutation({
	args: { softphone: vSoftphoneState },
	returns: v.null(),
	handler: async (ctx, { softphone }) => {
		const row = await ensureOwnRow(ctx, ctx.caller);
		const now = Date.now();
		const bucket = Math.floor(now / HEARTBEAT_BUCKET_MS) * HEARTBEAT_BUCKET_MS;
		// Every write re-runs every agent-list subscription, so a beat writes only when it moves
		// the 30 s bucket or the softphone changes; routing's 60 s staleness check has room for that.
		if (row.seenBucket === bucket && row.softphone === softphone) return null;
		await ctx.db.patch('agent_status', row._id, { lastSeenAt: now, seenBucket: bucket, softphone });
		return null;
	}
});

const vRosterEntry = v.object({ userId: v.string(), name: v.string(), role: vRole });

async function upsert(ctx: MutationCtx, entry: { userId: string; name: string; role: Doc<'agent_status'>['role'] }) {
	const row = await findByUser(ctx, entry.userId);
	if (!row) {
		await ctx.db.insert('agent_status', { ...entry, status: 'offline', since: Date.now(), softphone: 'unregistered' });
		return 'inserted' as const;
	}
	if (row.name === entry.name && row.role === entry.role) return 'unchanged' as const;
	await ctx.db.patch('agent_status', row._id, { name: entry.name, role: entry.role });
	return 'updated' as const;
}

/**
 * Bring the roster in line with the archive's staff list: upsert each entry (statuses kept) and,
 * with `removeMissing`, drop rows of users who are no longer staff.
 */
export const hydrate = systemMutation({
	args: { agents: v.array(vRosterEntry), removeMissing: v.boolean() },
	returns: v.object({ inserted: v.number(), updated: v.number(), removed: v.number() }),
	handler: async (ctx, { agents, removeMissing }) => {
		const counts = { inserted: 0, updated: 0, removed: 0 };
		for (const entry of agents) {
			const outcome = await upsert(ctx, entry);
			if (outcome !== 'unchanged') counts[outcome] += 1;
		}
		if (removeMissing) {
			const keep = new Set(agents.map((a) => a.userId));
			for (const row of await ctx.db.query('agent_status').collect()) {
				if (keep.has(row.userId)) continue;
				await ctx.db.delete('agent_status', row._id);
				counts.removed += 1;
			}
		}
		return counts;
	}
});

/** One page of hydration's cleanup: drops rows of users not in `keep`. Call again with the cursor until isDone. */
export const pruneRoster = systemMutation({
	args: { keep: v.array(v.string()), cursor: v.union(v.string(), v.null()) },
	returns: v.object({ removed: v.number(), continueCursor: v.string(), isDone: v.boolean() }),
	handler: async (ctx, { keep, cursor }) => {
		const kept = new Set(keep);
		const page = await ctx.db.query('agent_status').paginate({ cursor, numItems: 1_000 });
		let removed = 0;
		for (const row of page.page) {
			if (kept.has(row.userId)) continue;
			await ctx.db.delete('agent_status', row._id);
			removed += 1;
		}
		return { removed, continueCursor: page.continueCursor, isDone: page.isDone };
	}
});
