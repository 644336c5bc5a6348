/**
 * Start-up: make the call tables match the calls the archive (checked with the carrier) says are
 * live (src/lib/server/calls/rebuild-live-calls.ts builds the lists).
 */
import { v } from 'convex/values';
import type { MutationCtx } from './_generated/server';
import { activeBySid, callerFields, incomingBySid, setAgent } from './lib/callRows';
import { systemMutation } from './lib/functions';

const vHydrateIncoming = v.object({
	...callerFields,
	queueName: v.string(),
	requiredSkills: v.array(v.string()),
	state: v.union(v.literal('routing'), v.literal('offered'), v.literal('accepted')),
	receivedAt: v.number(),
	offeredTo: v.optional(v.string()),
	offeredAt: v.optional(v.number()),
	declinedBy: v.array(v.string()),
	attempts: v.number()
});
const vHydrateQueued = v.object({
	callSid: v.string(),
	queueName: v.string(),
	from: v.string(),
	to: v.optional(v.string()),
	customerId: v.optional(v.string()),
	customerName: v.optional(v.string()),
	customerCompany: v.optional(v.string()),
	requiredSkills: v.array(v.string()),
	enqueuedAt: v.number(),
	state: v.union(v.literal('waiting'), v.literal('bridging')),
	assignedTo: v.optional(v.string())
});
const vHydrateActive = v.object({
	callSid: v.string(),
	agentId: v.string(),
	from: v.string(),
	to: v.string(),
	customerId: v.optional(v.string()),
	customerName: v.optional(v.string()),
	customerCompany: v.optional(v.string()),
	queueName: v.optional(v.string()),
	state: v.union(v.literal('in-progress'), v.literal('wrapup')),
	startedAt: v.number(),
	answeredAt: v.optional(v.number()),
	endedAt: v.optional(v.number()),
	wrapupEndsAt: v.optional(v.number())
});

type Incoming = typeof vHydrateIncoming.type;
type Queued = typeof vHydrateQueued.type;
type Active = typeof vHydrateActive.type;

/** Rows for calls not in `liveSids` created before `before` are ghosts: they go. */
async function removeGhosts(ctx: MutationCtx, liveSids: Set<string>, before: number): Promise<number> {
	let removed = 0;
	for (const table of ['incoming_call_queue', 'active_calls'] as const) {
		for (const row of await ctx.db.query(table).collect()) {
			if (liveSids.has(row.callSid) || row._creationTime >= before) continue;
			await ctx.db.delete(table, row._id);
			removed += 1;
		}
	}
	return removed;
}

/** Insert the live calls hot state lacks; a row it has is kept, except that a call the archive proves over moves to wrap-up. */
async function insertMissing(ctx: MutationCtx, incoming: Incoming[], queued: Queued[], active: Active[], now: number): Promise<number> {
	let inserted = 0;
	for (const c of incoming) {
		if (await incomingBySid(ctx, c.callSid)) continue;
		await ctx.db.insert('incoming_call_queue', { ...c, requiredSkill: c.requiredSkills[0] });
		inserted += 1;
	}
	for (const c of queued) {
		// The caller's place in line is kept on its incoming row; one hot state already has keeps its own.
		const line = { lineState: c.state, enqueuedAt: c.enqueuedAt, assignedTo: c.assignedTo, priority: 0 };
		const row = await incomingBySid(ctx, c.callSid);
		if (row?.lineState) continue;
		if (row) {
			await ctx.db.patch('incoming_call_queue', row._id, { ...line, queueName: row.queueName ?? c.queueName });
			continue;
		}
		const { state: _line, assignedTo: _to, enqueuedAt: _at, ...caller } = c;
		await ctx.db.insert('incoming_call_queue', {
			...caller,
			...line,
			to: c.to ?? '',
			requiredSkill: c.requiredSkills[0],
			state: c.state === 'bridging' ? 'accepted' : 'routing',
			offeredTo: c.assignedTo,
			receivedAt: c.enqueuedAt,
			declinedBy: [],
			attempts: 0
		});
		inserted += 1;
	}
	for (const c of active) {
		const existing = await activeBySid(ctx, c.callSid);
		if (existing) {
			if (c.state === 'wrapup' && existing.state !== 'wrapup') await ctx.db.patch('active_calls', existing._id, { state: 'wrapup', endedAt: c.endedAt ?? now, wrapupEndsAt: c.wrapupEndsAt });
			continue;
		}
		await ctx.db.insert('active_calls', { ...c, direction: 'inbound', muted: false, recording: c.state === 'in-progress' });
		inserted += 1;
	}
	return inserted;
}

/** Agents follow the rebuilt calls: ringing, busy or in wrap-up on them, and freed from calls that are gone. Returns how many changed. */
async function syncAgents(ctx: MutationCtx, incoming: Incoming[], active: Active[], liveSids: Set<string>, now: number): Promise<number> {
	const doing = new Map<string, { status: 'ringing' | 'busy' | 'wrapup'; callSid: string; since: number }>();
	for (const c of incoming) if (c.state === 'offered' && c.offeredTo) doing.set(c.offeredTo, { status: 'ringing', callSid: c.callSid, since: c.offeredAt ?? now });
	for (const c of active) if (c.state === 'in-progress') doing.set(c.agentId, { status: 'busy', callSid: c.callSid, since: c.answeredAt ?? now });
	// An agent on (or ringing with) a live call is doing that, whatever older call still waits for its wrap-up form.
	for (const c of active) if (c.state === 'wrapup' && !doing.has(c.agentId)) doing.set(c.agentId, { status: 'wrapup', callSid: c.callSid, since: c.endedAt ?? now });
	let updated = 0;
	for (const agent of await ctx.db.query('agent_status').collect()) {
		const want = doing.get(agent.userId);
		if (want) {
			if (agent.status === want.status && agent.activeCallSid === want.callSid) continue;
			await setAgent(ctx, agent, { status: want.status, activeCallSid: want.callSid, since: want.since });
			updated += 1;
		} else if (agent.status === 'offline' || agent.status === 'away') {
			if (agent.activeCallSid) await setAgent(ctx, agent, { activeCallSid: undefined });
		} else if ((agent.activeCallSid && !liveSids.has(agent.activeCallSid)) || agent.status === 'ringing' || agent.status === 'wrapup') {
			// On a call that is over: back to work rather than stuck ringing, busy or in wrap-up.
			await setAgent(ctx, agent, { status: 'available', activeCallSid: undefined, since: now });
			updated += 1;
		}
	}
	return updated;
}

/**
 * Rows for calls not in the lists that were created before `before` are ghosts and go; a row hot
 * state already has for a live call is kept (it may know more than the archive), except that a
 * call the archive proves over moves to wrap-up. Agents follow: ringing, busy or in wrap-up on
 * the rebuilt calls, and freed from calls that are gone.
 */
export const hydrateCalls = systemMutation({
	args: { incoming: v.array(vHydrateIncoming), queued: v.array(vHydrateQueued), active: v.array(vHydrateActive), before: v.number() },
	returns: v.object({ inserted: v.number(), removed: v.number(), agentsUpdated: v.number() }),
	handler: async (ctx, { incoming, queued, active, before }) => {
		const now = Date.now();
		const liveSids = new Set([...incoming, ...queued, ...active].map((c) => c.callSid));
		const removed = await removeGhosts(ctx, liveSids, before);
		const inserted = await insertMissing(ctx, incoming, queued, active, now);
		const agentsUpdated = await syncAgents(ctx, incoming, active, liveSids, now);
		return { inserted, removed, agentsUpdated };
	}
});
