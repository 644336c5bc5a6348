/**
 * The call line in hot state: routing an inbound call, offering it, taking it, and passing it on
 * when the agent it rang for missed or declined it. These mutations are serializable, so the
 * rules that decide between agents hold under any concurrency: a call is offered to one agent at
 * a time, exactly one agent gets it, and a caller nobody can take waits in line (its incoming_call_queue row, `by_line`), oldest first.
 *
 * Flow: the voice webhook calls routeInbound (offer or enqueue); the agent's softphone calls
 * acceptCall; the dial-action webhook calls declineCall when the agent's device turned the call
 * away (Decline, DialCallStatus busy) and missCall when it rang out; the hold loop calls
 * offerWaiting; an agent dialling `queue:<name>` calls claimFromQueue. The caller's hang-up and
 * wrap-up are in callWrapup.ts.
 */
import { v } from 'convex/values';
import { callerFields, incomingBySid, setAgent } from './lib/callRows';
import { currentDecision, isWaiting, offerOrEnqueue, offerTo, oldestWaiting, passOn, startActiveCall, takeFromQueue, vDecision } from './lib/callLine';
import { fail } from './lib/errors';
import { agentMutation, systemMutation, systemQuery } from './lib/functions';
import { canTake, findAgent, pickAgent } from './lib/routing';

export const routeInbound = systemMutation({
	args: {
		...callerFields,
		queueName: v.string(),
		requiredSkills: v.array(v.string())
	},
	returns: vDecision,
	handler: async (ctx, args) => {
		const existing = await incomingBySid(ctx, args.callSid);
		if (existing) return currentDecision(ctx, existing);
		const now = Date.now();
		const id = await ctx.db.insert('incoming_call_queue', {
			...args,
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
		if (!isWaiting(incoming)) fail('CONFLICT', 'NOT_OFFERED', 'This call is ringing for another agent.');
		if (!(await canTake(ctx, agent, incoming.requiredSkills ?? [], now))) {
			fail('FORBIDDEN', 'NOT_ELIGIBLE', 'Only an available agent with a ready softphone and the queue skills can take a waiting caller.');
		}
		await takeFromQueue(ctx, incoming, agent, now);
		return { callSid, via: 'queue' as const, customerId: incoming.customerId };
	}
});

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
			const mine = await incomingBySid(ctx, agent.activeCallSid);
			if (mine && mine.queueName === queueName && mine.lineState === 'bridging' && mine.assignedTo === agentId && mine.state === 'accepted') {
				return { callSid: mine.callSid, customerId: mine.customerId, claimed: false };
			}
		}
		const incoming = await oldestWaiting(ctx, queueName);
		if (!incoming || !(await canTake(ctx, agent, incoming.requiredSkills ?? [], now))) return null;
		await takeFromQueue(ctx, incoming, agent, now);
		return { callSid: incoming.callSid, customerId: incoming.customerId, claimed: true };
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
		if (!isWaiting(incoming) || incoming.queueName === undefined) return currentDecision(ctx, incoming);
		const first = await oldestWaiting(ctx, incoming.queueName);
		if (!first || first._id !== incoming._id) return currentDecision(ctx, incoming);
		const now = Date.now();
		const agent = await pickAgent(ctx, incoming.requiredSkills ?? [], incoming.declinedBy, now);
		if (!agent) return currentDecision(ctx, incoming);
		return offerTo(ctx, incoming, agent, now);
	}
});

/**
 * The agent's device declined the offer (the softphone's Decline, or a softphone already on a
 * call turning a second one away; the carrier reports DialCallStatus busy): the call goes to the
 * next available agent at once, or back in line. A decline is not a miss: the agent is not
 * counted as missing it and goes to `agentStatus` (DECLINE_SETS_AGENT: available or away).
 */
export const declineCall = systemMutation({
	args: { callSid: v.string(), agentStatus: v.union(v.literal('available'), v.literal('away')) },
	returns: vDecision,
	handler: (ctx, { callSid, agentStatus }) => passOn(ctx, callSid, (_agent, _incoming, now) => ({ status: agentStatus, since: now, activeCallSid: undefined }))
});

/**
 * The offer rang out (no answer, or the device failed): the agent is set away, so absent agents
 * stop getting calls, and counted as missing it (their softphone and the wallboard say which
 * call); then the next agent is offered the call, or it goes back in line.
 */
export const missCall = systemMutation({
	args: { callSid: v.string() },
	returns: vDecision,
	handler: (ctx, { callSid }) =>
		passOn(ctx, callSid, (agent, incoming, now) => ({
			status: 'away',
			since: now,
			activeCallSid: undefined,
			missedCalls: (agent.missedCalls ?? 0) + 1,
			lastMissed: { callSid, from: incoming.from, customerName: incoming.customerName, at: now }
		}))
});

/**
 * How many callers of a queue are not yet with an agent (waiting in its line, being routed or
 * ringing one), up to `limit`. Renaming a queue while this is not zero would leave them in a
 * line no agent serves, so the admin's save refuses it.
 */
export const callersWaitingIn = systemQuery({
	args: { queueName: v.string(), limit: v.optional(v.number()) },
	returns: v.number(),
	handler: async (ctx, { queueName, limit }) => {
		const rows = await ctx.db
			.query('incoming_call_queue')
			.withIndex('by_line', (q) => q.eq('queueName', queueName))
			.take(Math.min(Math.max(limit ?? 1000, 1), 1000));
		return rows.filter((r) => r.state !== 'accepted').length;
	}
});
