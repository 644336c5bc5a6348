/**
 * The end of a call in hot state: the caller's leg ends (completeCall, from the status webhook),
 * an answered call waits in wrap-up for the agent's form (myWrapups), and leaves hot state when
 * the agent saves it (finishWrapup) or the queue's wrap-up time runs out (endWrapup).
 */
import { v } from 'convex/values';
import { activeBySid, incomingBySid, setAgent } from './lib/callRows';
import { fail } from './lib/errors';
import { agentQuery, systemMutation } from './lib/functions';
import { findAgent } from './lib/routing';
import { endTransferTargets } from './lib/transferLegs';

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
		if (incoming) await ctx.db.delete('incoming_call_queue', incoming._id);
		const active = await activeBySid(ctx, callSid);
		if (active) {
			if (active.state !== 'wrapup') {
				await ctx.db.patch('active_calls', active._id, { state: 'wrapup', endedAt: now, wrapupEndsAt: wrapupSeconds === undefined ? undefined : now + wrapupSeconds * 1000 });
				const agent = await findAgent(ctx, active.agentId);
				if (agent && agent.activeCallSid === callSid) await setAgent(ctx, agent, { status: 'wrapup', since: now });
				await endTransferTargets(ctx, callSid, now, wrapupSeconds);
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

/**
 * The agent finished wrap-up: the call leaves hot state and the agent is available. Server only,
 * called once the disposition is in the archive (calls/wrap-up-call.ts, end-wrap-up-early.ts);
 * a browser calling Convex directly would skip that archive record.
 */
export const finishWrapup = systemMutation({
	args: { callSid: v.string(), agentId: v.string() },
	returns: v.null(),
	handler: async (ctx, { callSid, agentId }) => {
		const active = await activeBySid(ctx, callSid);
		if (!active || active.agentId !== agentId) fail('NOT_FOUND', 'CALL_NOT_FOUND', 'You have no call in wrap-up with this id.');
		if (active.state !== 'wrapup') fail('CONFLICT', 'CALL_IN_PROGRESS', 'Hang up before finishing wrap-up.');
		await ctx.db.delete('active_calls', active._id);
		const agent = await findAgent(ctx, agentId);
		if (agent && agent.status === 'wrapup') await setAgent(ctx, agent, { status: 'available', since: Date.now(), activeCallSid: undefined });
		return null;
	}
});

/** The queue's wrap-up time ran out: the call leaves hot state and its agent, still in wrap-up on it, is available. */
export const endWrapup = systemMutation({
	args: { callSid: v.string() },
	returns: v.object({ freed: v.union(v.string(), v.null()) }),
	handler: async (ctx, { callSid }) => {
		const active = await activeBySid(ctx, callSid);
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
			wrapupEndsAt: v.union(v.number(), v.null()),
			/** A first agent's wrap-up after a transfer took them off the call (transfers.ts releaseFirstAgent): that call's CallSid. */
			handoffOf: v.union(v.string(), v.null())
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
				// The customer's number: the caller of an inbound call, the dialled number of an outbound one.
				from: r.direction === 'outbound' ? r.to : r.from,
				customerId: r.customerId ?? null,
				customerName: r.customerName ?? null,
				endedAt: r.endedAt ?? null,
				wrapupEndsAt: r.wrapupEndsAt ?? null,
				handoffOf: r.handoffOf ?? null
			}));
	}
});
