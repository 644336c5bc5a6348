/**
 * Inbound call routing in hot state. These mutations are serializable, so the rules that decide
 * between agents hold under any concurrency: a call is offered to one agent at a time, exactly
 * one agent gets it, and a caller nobody can take waits in call_queue, oldest first.
 *
 * Flow: the voice webhook calls routeInbound (offer or enqueue); the agent's softphone calls
 * acceptCall (or rejectCall); the dial-action webhook calls missCall when the ring timed out;
 * the status webhook calls completeCall when the caller's leg ends; the agent's wrap-up form
 * calls finishWrapup.
 */
import { v } from 'convex/values';
import type { Doc } from './_generated/dataModel';
import type { MutationCtx, QueryCtx } from './_generated/server';
import { fail } from './lib/errors';
import { agentMutation, agentQuery, supervisorQuery, systemMutation } from './lib/functions';
import { canTake, findAgent, pickAgent } from './lib/routing';
import { vActiveCall, vIncomingCall, vQueuedCall } from './schema';

/** What the webhook does next: Dial the agent's client, or put the caller in the named queue. */
const vDecision = v.union(
	v.object({ kind: v.literal('offered'), agentId: v.string(), agentName: v.string(), attempts: v.number() }),
	/** `positionAtLeast`: more than POSITION_CAP callers are ahead, so `position` is a lower bound. */
	v.object({ kind: v.literal('queued'), queueName: v.string(), position: v.number(), positionAtLeast: v.optional(v.literal(true)) }),
	v.object({ kind: v.literal('accepted'), agentId: v.string() }),
	v.object({ kind: v.literal('ended') })
);
type Decision = typeof vDecision.type;

async function incomingBySid(ctx: QueryCtx | MutationCtx, callSid: string) {
	return ctx.db
		.query('incoming_call_queue')
		.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
		.unique();
}

async function queuedBySid(ctx: QueryCtx | MutationCtx, callSid: string) {
	return ctx.db
		.query('call_queue')
		.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
		.unique();
}

/**
 * Callers counted ahead of one in line, at most this many: a place is exact up to here, and a
 * lower bound beyond (the count reads one index entry per caller ahead, so a deep queue would
 * make every new caller's webhook pay for the whole line).
 */
export const POSITION_CAP = 100;

/** The waiting callers of one queue, in line order (`by_line`). */
function line(ctx: QueryCtx | MutationCtx, queueName: string) {
	return ctx.db.query('call_queue').withIndex('by_line', (q) => q.eq('queueName', queueName).eq('state', 'waiting'));
}

/**
 * 1-based place among the callers waiting in the same queue (priority first, then arrival, then
 * creation). Reads only the callers ahead, through `by_line`, and at most POSITION_CAP of them.
 */
async function placeOf(ctx: QueryCtx | MutationCtx, entry: Doc<'call_queue'>): Promise<{ position: number; atLeast: boolean }> {
	let ahead = 0;
	const higher = await ctx.db
		.query('call_queue')
		.withIndex('by_line', (q) => q.eq('queueName', entry.queueName).eq('state', 'waiting').gt('priority', entry.priority))
		.take(POSITION_CAP);
	ahead += higher.length;
	if (ahead < POSITION_CAP) {
		const earlier = await ctx.db
			.query('call_queue')
			.withIndex('by_line', (q) => q.eq('queueName', entry.queueName).eq('state', 'waiting').eq('priority', entry.priority).lt('enqueuedAt', entry.enqueuedAt))
			.take(POSITION_CAP - ahead);
		ahead += earlier.length;
	}
	if (ahead < POSITION_CAP) {
		const sameTime = await ctx.db
			.query('call_queue')
			.withIndex('by_line', (q) => q.eq('queueName', entry.queueName).eq('state', 'waiting').eq('priority', entry.priority).eq('enqueuedAt', entry.enqueuedAt))
			.take(POSITION_CAP);
		ahead += Math.min(POSITION_CAP - ahead, sameTime.filter((w) => w._id !== entry._id && w._creationTime < entry._creationTime).length);
	}
	return { position: ahead + 1, atLeast: ahead >= POSITION_CAP };
}

/** The queued decision for a waiting entry: its place, flagged when it is a lower bound. */
async function queuedDecision(ctx: QueryCtx | MutationCtx, entry: Doc<'call_queue'>): Promise<Decision> {
	const { position, atLeast } = await placeOf(ctx, entry);
	return { kind: 'queued', queueName: entry.queueName, position, ...(atLeast ? { positionAtLeast: true } : {}) };
}

async function setAgent(ctx: MutationCtx, agent: Doc<'agent_status'>, patch: Partial<Doc<'agent_status'>>) {
	await ctx.db.patch('agent_status', agent._id, patch);
}

/** Ring `agent` for the call. A caller offered out of the queue keeps its place (and leaves the waiting list) while it rings. */
async function offerTo(
	ctx: MutationCtx,
	incoming: Doc<'incoming_call_queue'>,
	entry: Doc<'call_queue'> | null,
	agent: Doc<'agent_status'>,
	now: number
): Promise<Decision> {
	const attempts = incoming.attempts + 1;
	await ctx.db.patch('incoming_call_queue', incoming._id, { state: 'offered', offeredTo: agent.userId, offeredAt: now, attempts });
	await setAgent(ctx, agent, { status: 'ringing', since: now, activeCallSid: incoming.callSid });
	if (entry) await ctx.db.patch('call_queue', entry._id, { state: 'bridging', assignedTo: agent.userId });
	return { kind: 'offered', agentId: agent.userId, agentName: agent.name, attempts };
}

/** Offer the call to the next eligible agent, or enqueue it; the incoming row must exist. */
async function offerOrEnqueue(ctx: MutationCtx, incoming: Doc<'incoming_call_queue'>, now: number): Promise<Decision> {
	const required = incoming.requiredSkills ?? (incoming.requiredSkill ? [incoming.requiredSkill] : []);
	const agent = await pickAgent(ctx, required, incoming.declinedBy, now);
	let entry = await queuedBySid(ctx, incoming.callSid);
	if (agent) return offerTo(ctx, incoming, entry, agent, now);
	await ctx.db.patch('incoming_call_queue', incoming._id, { state: 'routing', offeredTo: undefined, offeredAt: undefined });
	const queueName = incoming.queueName ?? 'default';
	if (entry && entry.state !== 'waiting') {
		// Back from an offer nobody answered: waiting again, at its original place in line.
		await ctx.db.patch('call_queue', entry._id, { state: 'waiting', assignedTo: undefined });
		entry = { ...entry, state: 'waiting', assignedTo: undefined };
	}
	if (!entry) {
		const id = await ctx.db.insert('call_queue', {
			callSid: incoming.callSid,
			queueName,
			from: incoming.from,
			to: incoming.to,
			customerId: incoming.customerId,
			customerName: incoming.customerName,
			customerCompany: incoming.customerCompany,
			requiredSkill: required[0],
			requiredSkills: required,
			priority: 0,
			state: 'waiting',
			enqueuedAt: now
		});
		entry = await ctx.db.get('call_queue', id);
		if (!entry) throw new Error('call_queue row vanished after insert');
	}
	return queuedDecision(ctx, entry);
}

/** The decision already taken for a call (a retried webhook gets the same answer). */
async function currentDecision(ctx: QueryCtx | MutationCtx, incoming: Doc<'incoming_call_queue'>): Promise<Decision> {
	if (incoming.state === 'accepted' && incoming.offeredTo) return { kind: 'accepted', agentId: incoming.offeredTo };
	if (incoming.state === 'offered' && incoming.offeredTo) {
		const agent = await findAgent(ctx, incoming.offeredTo);
		return { kind: 'offered', agentId: incoming.offeredTo, agentName: agent?.name ?? incoming.offeredTo, attempts: incoming.attempts };
	}
	const entry = await queuedBySid(ctx, incoming.callSid);
	if (entry && entry.state === 'waiting') return queuedDecision(ctx, entry);
	return { kind: 'ended' };
}

export const routeInbound = systemMutation({
	args: {
		callSid: v.string(),
		from: v.string(),
		to: v.string(),
		customerId: v.optional(v.string()),
		customerName: v.optional(v.string()),
		customerCompany: v.optional(v.string()),
		queueName: v.string(),
		requiredSkills: v.array(v.string())
	},
	returns: vDecision,
	handler: async (ctx, args) => {
		const existing = await incomingBySid(ctx, args.callSid);
		if (existing) return currentDecision(ctx, existing);
		const now = Date.now();
		const id = await ctx.db.insert('incoming_call_queue', {
			callSid: args.callSid,
			from: args.from,
			to: args.to,
			customerId: args.customerId,
			customerName: args.customerName,
			customerCompany: args.customerCompany,
			queueName: args.queueName,
			requiredSkills: args.requiredSkills,
			requiredSkill: args.requiredSkills[0],
			state: 'routing',
			receivedAt: now,
			declinedBy: [],
			attempts: 0
		});
		const incoming = await ctx.db.get('incoming_call_queue', id);
		if (!incoming) throw new Error('incoming_call_queue row vanished after insert');
		return offerOrEnqueue(ctx, incoming, now);
	}
});

async function startActiveCall(ctx: MutationCtx, incoming: Doc<'incoming_call_queue'>, agentId: string, now: number) {
	await ctx.db.insert('active_calls', {
		callSid: incoming.callSid,
		direction: 'inbound',
		agentId,
		customerId: incoming.customerId,
		customerName: incoming.customerName,
		customerCompany: incoming.customerCompany,
		queueName: incoming.queueName,
		from: incoming.from,
		to: incoming.to,
		state: 'in-progress',
		startedAt: incoming.receivedAt,
		answeredAt: now,
		muted: false,
		recording: true
	});
}

const vAccepted = v.object({ callSid: v.string(), via: v.union(v.literal('offer'), v.literal('queue')), customerId: v.optional(v.string()) });

/**
 * Take the call: exactly one agent wins. The agent it is offered to may take it while it rings;
 * a waiting caller may be claimed by any available agent with the skills. Everyone else gets
 * CONFLICT CALL_TAKEN (someone was faster) or NOT_OFFERED.
 */
export const acceptCall = agentMutation({
	args: { callSid: v.string() },
	returns: vAccepted,
	handler: async (ctx, { callSid }) => {
		const now = Date.now();
		const incoming = await incomingBySid(ctx, callSid);
		if (!incoming) fail('NOT_FOUND', 'CALL_NOT_FOUND', 'This call has already ended.');
		if (incoming.state === 'accepted') {
			if (incoming.offeredTo === ctx.caller.userId) fail('CONFLICT', 'ALREADY_ACCEPTED', 'You have already taken this call.');
			fail('CONFLICT', 'CALL_TAKEN', 'Another agent has taken this call.');
		}
		const agent = await findAgent(ctx, ctx.caller.userId);
		if (!agent) fail('FORBIDDEN', 'NOT_AN_AGENT', 'You are not on the agent roster; sign out and in again.');
		if (incoming.state === 'offered' && incoming.offeredTo === ctx.caller.userId) {
			await ctx.db.patch('incoming_call_queue', incoming._id, { state: 'accepted', offeredTo: ctx.caller.userId, offeredAt: incoming.offeredAt ?? now });
			await setAgent(ctx, agent, { status: 'busy', since: now, activeCallSid: callSid });
			await startActiveCall(ctx, incoming, ctx.caller.userId, now);
			return { callSid, via: 'offer' as const, customerId: incoming.customerId };
		}
		const entry = await queuedBySid(ctx, callSid);
		if (!entry || entry.state !== 'waiting') fail('CONFLICT', 'NOT_OFFERED', 'This call is ringing for another agent.');
		if (!(await canTake(ctx, agent, incoming.requiredSkills ?? [], now))) {
			fail('FORBIDDEN', 'NOT_ELIGIBLE', 'Only an available agent with a ready softphone and the queue skills can take a waiting caller.');
		}
		await takeFromQueue(ctx, incoming, entry, agent, now);
		return { callSid, via: 'queue' as const, customerId: incoming.customerId };
	}
});

/** A waiting caller goes to `agent` (who may take it): the agent is busy on it and the bridge (`<Dial><Queue>`) follows. */
async function takeFromQueue(
	ctx: MutationCtx,
	incoming: Doc<'incoming_call_queue'>,
	entry: Doc<'call_queue'>,
	agent: Doc<'agent_status'>,
	now: number
) {
	await ctx.db.patch('call_queue', entry._id, { state: 'bridging', assignedTo: agent.userId });
	await ctx.db.patch('incoming_call_queue', incoming._id, { state: 'accepted', offeredTo: agent.userId, offeredAt: incoming.offeredAt ?? now });
	await setAgent(ctx, agent, { status: 'busy', since: now, activeCallSid: incoming.callSid });
	await startActiveCall(ctx, incoming, agent.userId, now);
}

/** The oldest waiting caller in `queueName` (priority first), or null. */
async function oldestWaiting(ctx: QueryCtx | MutationCtx, queueName: string): Promise<Doc<'call_queue'> | null> {
	// Two index reads, whatever the queue's depth: the top priority waiting, then its oldest caller.
	const top = await line(ctx, queueName).order('desc').first();
	if (!top) return null;
	return ctx.db
		.query('call_queue')
		.withIndex('by_line', (q) => q.eq('queueName', queueName).eq('state', 'waiting').eq('priority', top.priority))
		.first();
}

/**
 * An agent's softphone dialled `queue:<name>` to take the next caller: the caller this agent
 * already accepted from that queue, else the oldest waiting one they may take (taken for them
 * here, as acceptCall would). Null when nobody waits or the agent may not take calls.
 */
export const claimFromQueue = systemMutation({
	args: { agentId: v.string(), queueName: v.string() },
	returns: v.union(v.object({ callSid: v.string(), customerId: v.optional(v.string()), claimed: v.boolean() }), v.null()),
	handler: async (ctx, { agentId, queueName }) => {
		const now = Date.now();
		const agent = await findAgent(ctx, agentId);
		if (!agent) return null;
		if (agent.activeCallSid) {
			const mine = await queuedBySid(ctx, agent.activeCallSid);
			const incoming = await incomingBySid(ctx, agent.activeCallSid);
			if (mine && mine.queueName === queueName && mine.state === 'bridging' && mine.assignedTo === agentId && incoming?.state === 'accepted') {
				return { callSid: mine.callSid, customerId: incoming.customerId, claimed: false };
			}
		}
		const entry = await oldestWaiting(ctx, queueName);
		if (!entry) return null;
		const incoming = await incomingBySid(ctx, entry.callSid);
		if (!incoming || !(await canTake(ctx, agent, incoming.requiredSkills ?? entry.requiredSkills ?? [], now))) return null;
		await takeFromQueue(ctx, incoming, entry, agent, now);
		return { callSid: entry.callSid, customerId: incoming.customerId, claimed: true };
	}
});

/**
 * The hold loop asks whether this waiting caller can go to an agent now: only the oldest caller
 * in its queue is offered, to the longest-idle eligible agent (the caller then leaves the queue
 * and the agent's softphone rings). Anything else answers the current decision unchanged.
 */
export const offerWaiting = systemMutation({
	args: { callSid: v.string() },
	returns: vDecision,
	handler: async (ctx, { callSid }) => {
		const incoming = await incomingBySid(ctx, callSid);
		if (!incoming) return { kind: 'ended' } as const;
		const entry = await queuedBySid(ctx, callSid);
		if (!entry || entry.state !== 'waiting') return currentDecision(ctx, incoming);
		const first = await oldestWaiting(ctx, entry.queueName);
		if (!first || first._id !== entry._id) return currentDecision(ctx, incoming);
		const now = Date.now();
		const agent = await pickAgent(ctx, incoming.requiredSkills ?? [], incoming.declinedBy, now);
		if (!agent) return currentDecision(ctx, incoming);
		return offerTo(ctx, incoming, entry, agent, now);
	}
});

/** Decline a ringing offer: the agent stays available and is not offered this call again. Rerouting follows the dial action. */
export const rejectCall = agentMutation({
	args: { callSid: v.string() },
	returns: v.null(),
	handler: async (ctx, { callSid }) => {
		const incoming = await incomingBySid(ctx, callSid);
		if (!incoming || incoming.state !== 'offered' || incoming.offeredTo !== ctx.caller.userId) {
			fail('CONFLICT', 'NOT_OFFERED', 'This call is not ringing for you.');
		}
		await ctx.db.patch('incoming_call_queue', incoming._id, {
			state: 'missed',
			declinedBy: [...incoming.declinedBy, ctx.caller.userId]
		});
		const agent = await findAgent(ctx, ctx.caller.userId);
		if (agent) await setAgent(ctx, agent, { status: 'available', since: Date.now(), activeCallSid: undefined });
		return null;
	}
});

/**
 * The offer ended without an answer (ring timeout, busy, rejected): mark the agent missed (an
 * agent who let it ring out is set away, so absent agents stop getting calls, and their softphone
 * and the wallboard say which call they missed), then offer the next agent or enqueue. Calls
 * already accepted or ended are left alone.
 */
export const missCall = systemMutation({
	args: { callSid: v.string() },
	returns: vDecision,
	handler: async (ctx, { callSid }) => {
		const now = Date.now();
		const incoming = await incomingBySid(ctx, callSid);
		if (!incoming) return { kind: 'ended' } as const;
		if (incoming.state === 'accepted') return currentDecision(ctx, incoming);
		const missedBy = incoming.offeredTo;
		let declinedBy = incoming.declinedBy;
		if (incoming.state === 'offered' && missedBy) {
			declinedBy = declinedBy.includes(missedBy) ? declinedBy : [...declinedBy, missedBy];
			const agent = await findAgent(ctx, missedBy);
			if (agent && agent.status === 'ringing' && agent.activeCallSid === callSid) {
				await setAgent(ctx, agent, {
					status: 'away',
					since: now,
					activeCallSid: undefined,
					missedCalls: (agent.missedCalls ?? 0) + 1,
					lastMissed: { callSid, from: incoming.from, customerName: incoming.customerName, at: now }
				});
			}
		}
		const updated = { ...incoming, declinedBy, offeredTo: undefined };
		await ctx.db.patch('incoming_call_queue', incoming._id, { declinedBy, state: 'missed' });
		return offerOrEnqueue(ctx, updated, now);
	}
});

/**
 * The caller's leg ended. An answered call moves to wrap-up (agent status `wrapup`); an
 * unanswered one frees the agent it was ringing for and leaves the queue. Safe to repeat.
 */
export const completeCall = systemMutation({
	/** wrapupSeconds: the queue's wrap-up time, for the countdown the agent sees (the end-wrapup job keeps the time). */
	args: { callSid: v.string(), wrapupSeconds: v.optional(v.number()) },
	returns: v.object({ answeredBy: v.union(v.string(), v.null()) }),
	handler: async (ctx, { callSid, wrapupSeconds }) => {
		const now = Date.now();
		const incoming = await incomingBySid(ctx, callSid);
		const queued = await queuedBySid(ctx, callSid);
		if (queued) await ctx.db.delete('call_queue', queued._id);
		if (incoming) await ctx.db.delete('incoming_call_queue', incoming._id);
		const active = await ctx.db
			.query('active_calls')
			.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
			.unique();
		if (active) {
			if (active.state !== 'wrapup') {
				await ctx.db.patch('active_calls', active._id, { state: 'wrapup', endedAt: now, wrapupEndsAt: wrapupSeconds === undefined ? undefined : now + wrapupSeconds * 1000 });
				const agent = await findAgent(ctx, active.agentId);
				if (agent && agent.activeCallSid === callSid) await setAgent(ctx, agent, { status: 'wrapup', since: now });
			}
			return { answeredBy: active.agentId };
		}
		if (incoming?.state === 'offered' && incoming.offeredTo) {
			const agent = await findAgent(ctx, incoming.offeredTo);
			if (agent && agent.status === 'ringing' && agent.activeCallSid === callSid) {
				await setAgent(ctx, agent, { status: 'available', since: now, activeCallSid: undefined });
			}
		}
		return { answeredBy: null };
	}
});

/** The agent finished wrap-up (disposition saved in the archive): the call leaves hot state and the agent is available. */
export const finishWrapup = agentMutation({
	args: { callSid: v.string() },
	returns: v.null(),
	handler: async (ctx, { callSid }) => {
		const active = await ctx.db
			.query('active_calls')
			.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
			.unique();
		if (!active || active.agentId !== ctx.caller.userId) fail('NOT_FOUND', 'CALL_NOT_FOUND', 'You have no call in wrap-up with this id.');
		if (active.state !== 'wrapup') fail('CONFLICT', 'CALL_IN_PROGRESS', 'Hang up before finishing wrap-up.');
		await ctx.db.delete('active_calls', active._id);
		const agent = await findAgent(ctx, ctx.caller.userId);
		if (agent && agent.status === 'wrapup') await setAgent(ctx, agent, { status: 'available', since: Date.now(), activeCallSid: undefined });
		return null;
	}
});

/** My calls in wrap-up, newest first: the softphone's wrap-up form and its countdown (a reloaded page gets its form back). */
export const myWrapups = agentQuery({
	args: {},
	returns: v.array(
		v.object({
			callSid: v.string(),
			from: v.string(),
			customerId: v.union(v.string(), v.null()),
			customerName: v.union(v.string(), v.null()),
			endedAt: v.union(v.number(), v.null()),
			wrapupEndsAt: v.union(v.number(), v.null())
		})
	),
	handler: async (ctx) => {
		const rows = await ctx.db
			.query('active_calls')
			.withIndex('by_agentId', (q) => q.eq('agentId', ctx.caller.userId))
			.collect();
		return rows
			.filter((r) => r.state === 'wrapup')
			.sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0))
			.map((r) => ({
				callSid: r.callSid,
				from: r.from,
				customerId: r.customerId ?? null,
				customerName: r.customerName ?? null,
				endedAt: r.endedAt ?? null,
				wrapupEndsAt: r.wrapupEndsAt ?? null
			}));
	}
});

/** The call ringing for me, if any: the softphone's screen pop. */
export const ringingForMe = agentQuery({
	args: {},
	returns: v.union(vIncomingCall.extend({ _id: v.id('incoming_call_queue'), _creationTime: v.number() }), v.null()),
	handler: async (ctx) => {
		const rows = await ctx.db
			.query('incoming_call_queue')
			.withIndex('by_offeredTo', (q) => q.eq('offeredTo', ctx.caller.userId))
			.collect();
		return rows.find((r) => r.state === 'offered') ?? null;
	}
});

/** Callers waiting, by queue then position: the wallboard and the agents' "take next" list. */
export const waiting = agentQuery({
	args: { queueName: v.optional(v.string()) },
	returns: v.array(vQueuedCall.extend({ _id: v.id('call_queue'), _creationTime: v.number() })),
	handler: async (ctx, { queueName }) => {
		const rows =
			queueName === undefined
				? await ctx.db
						.query('call_queue')
						.withIndex('by_state', (q) => q.eq('state', 'waiting'))
						.collect()
				: (
						await ctx.db
							.query('call_queue')
							.withIndex('by_queueName', (q) => q.eq('queueName', queueName))
							.collect()
					).filter((r) => r.state === 'waiting');
		return rows.sort((a, b) => a.queueName.localeCompare(b.queueName) || b.priority - a.priority || a.enqueuedAt - b.enqueuedAt);
	}
});

const vHydrateIncoming = v.object({
	callSid: v.string(),
	from: v.string(),
	to: v.string(),
	customerId: v.optional(v.string()),
	customerName: v.optional(v.string()),
	customerCompany: v.optional(v.string()),
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

/**
 * Start-up: make the call tables match the calls the archive (checked with the carrier) says are
 * live. Rows for calls not in the lists that were created before `before` are ghosts and go;
 * a row hot state already has for a live call is kept (it may know more than the archive), except
 * that a call the archive proves over moves to wrap-up. Agents follow: ringing, busy or in
 * wrap-up on the rebuilt calls, and freed from calls that are gone.
 */
export const hydrateCalls = systemMutation({
	args: { incoming: v.array(vHydrateIncoming), queued: v.array(vHydrateQueued), active: v.array(vHydrateActive), before: v.number() },
	returns: v.object({ inserted: v.number(), removed: v.number(), agentsUpdated: v.number() }),
	handler: async (ctx, { incoming, queued, active, before }) => {
		const now = Date.now();
		let inserted = 0;
		let removed = 0;
		const liveSids = new Set([...incoming, ...queued, ...active].map((c) => c.callSid));
		for (const table of ['incoming_call_queue', 'call_queue', 'active_calls'] as const) {
			for (const row of await ctx.db.query(table).collect()) {
				if (liveSids.has(row.callSid) || row._creationTime >= before) continue;
				await ctx.db.delete(table, row._id);
				removed += 1;
			}
		}
		for (const c of incoming) {
			if (await incomingBySid(ctx, c.callSid)) continue;
			await ctx.db.insert('incoming_call_queue', { ...c, requiredSkill: c.requiredSkills[0] });
			inserted += 1;
		}
		for (const c of queued) {
			if (await queuedBySid(ctx, c.callSid)) continue;
			await ctx.db.insert('call_queue', { ...c, requiredSkill: c.requiredSkills[0], priority: 0 });
			inserted += 1;
		}
		for (const c of active) {
			const existing = await ctx.db
				.query('active_calls')
				.withIndex('by_callSid', (q) => q.eq('callSid', c.callSid))
				.unique();
			if (existing) {
				if (c.state === 'wrapup' && existing.state !== 'wrapup') await ctx.db.patch('active_calls', existing._id, { state: 'wrapup', endedAt: c.endedAt ?? now, wrapupEndsAt: c.wrapupEndsAt });
				continue;
			}
			await ctx.db.insert('active_calls', { ...c, direction: 'inbound', muted: false, recording: c.state === 'in-progress' });
			inserted += 1;
		}

		// Agents: what the rebuilt calls say they are doing, and free from calls that are gone.
		const doing = new Map<string, { status: 'ringing' | 'busy' | 'wrapup'; callSid: string; since: number }>();
		for (const c of incoming) if (c.state === 'offered' && c.offeredTo) doing.set(c.offeredTo, { status: 'ringing', callSid: c.callSid, since: c.offeredAt ?? now });
		for (const c of active) if (c.state === 'in-progress') doing.set(c.agentId, { status: 'busy', callSid: c.callSid, since: c.answeredAt ?? now });
		// An agent on (or ringing with) a live call is doing that, whatever older call still waits for its wrap-up form.
		for (const c of active) if (c.state === 'wrapup' && !doing.has(c.agentId)) doing.set(c.agentId, { status: 'wrapup', callSid: c.callSid, since: c.endedAt ?? now });
		let agentsUpdated = 0;
		for (const agent of await ctx.db.query('agent_status').collect()) {
			const want = doing.get(agent.userId);
			if (want) {
				if (agent.status === want.status && agent.activeCallSid === want.callSid) continue;
				await setAgent(ctx, agent, { status: want.status, activeCallSid: want.callSid, since: want.since });
				agentsUpdated += 1;
			} else if (agent.status === 'offline' || agent.status === 'away') {
				if (agent.activeCallSid) await setAgent(ctx, agent, { activeCallSid: undefined });
			} else if ((agent.activeCallSid && !liveSids.has(agent.activeCallSid)) || agent.status === 'ringing' || agent.status === 'wrapup') {
				// On a call that is over: back to work rather than stuck ringing, busy or in wrap-up.
				await setAgent(ctx, agent, { status: 'available', activeCallSid: undefined, since: now });
				agentsUpdated += 1;
			}
		}
		return { inserted, removed, agentsUpdated };
	}
});

/** Every call in hot state, for the wallboard (supervisors and admins, like its page): ringing or being routed, waiting in a queue, and on a call or in wrap-up. */
export const board = supervisorQuery({
	args: {},
	returns: v.object({
		incoming: v.array(vIncomingCall.extend({ _id: v.id('incoming_call_queue'), _creationTime: v.number() })),
		waiting: v.array(vQueuedCall.extend({ _id: v.id('call_queue'), _creationTime: v.number() })),
		active: v.array(vActiveCall.extend({ _id: v.id('active_calls'), _creationTime: v.number() }))
	}),
	handler: async (ctx) => {
		const incoming = (await ctx.db.query('incoming_call_queue').collect()).filter((r) => r.state !== 'accepted').sort((a, b) => a.receivedAt - b.receivedAt);
		const waiting = (
			await ctx.db
				.query('call_queue')
				.withIndex('by_state', (q) => q.eq('state', 'waiting'))
				.collect()
		).sort((a, b) => a.queueName.localeCompare(b.queueName) || b.priority - a.priority || a.enqueuedAt - b.enqueuedAt);
		const active = (await ctx.db.query('active_calls').collect()).sort((a, b) => a.startedAt - b.startedAt);
		return { incoming, waiting, active };
	}
});

/** The call's recording was paused or resumed at the carrier: the softphone and wallboard show it. */
export const setRecording = systemMutation({
	args: { callSid: v.string(), recording: v.boolean() },
	returns: v.null(),
	handler: async (ctx, { callSid, recording }) => {
		const active = await ctx.db
			.query('active_calls')
			.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
			.unique();
		if (active && active.recording !== recording) await ctx.db.patch('active_calls', active._id, { recording });
		return null;
	}
});

/** The queue's wrap-up time ran out: the call leaves hot state and its agent, still in wrap-up on it, is available. */
export const endWrapup = systemMutation({
	args: { callSid: v.string() },
	returns: v.object({ freed: v.union(v.string(), v.null()) }),
	handler: async (ctx, { callSid }) => {
		const active = await ctx.db
			.query('active_calls')
			.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
			.unique();
		if (!active || active.state !== 'wrapup') return { freed: null };
		await ctx.db.delete('active_calls', active._id);
		const agent = await findAgent(ctx, active.agentId);
		if (agent && agent.status === 'wrapup' && agent.activeCallSid === callSid) {
			await setAgent(ctx, agent, { status: 'available', since: Date.now(), activeCallSid: undefined });
			return { freed: agent.userId };
		}
		return { freed: null };
	}
});
