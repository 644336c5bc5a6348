/**
 * Outbound calls in active_calls. claimDial is the one place a dial is admitted: in a single
 * mutation it refuses a number that already has a live or ringing call (any agent, inbound or
 * outbound: DIAL_IN_PROGRESS) and an agent who is already on a call or in wrap-up
 * (AGENT_ON_CALL), then holds the call by number and by agent and makes the agent busy.
 * Convex runs mutations serializably, so of any number of concurrent dials of one number
 * exactly one is admitted.
 */
import { v } from 'convex/values';
import type { Doc } from './_generated/dataModel';
import type { MutationCtx } from './_generated/server';
import { activeBySid, setAgent } from './lib/callRows';
import { systemMutation } from './lib/functions';
import { findAgent } from './lib/routing';

const vDialRefusal = v.object({
	ok: v.literal(false),
	code: v.union(v.literal('DIAL_IN_PROGRESS'), v.literal('AGENT_ON_CALL')),
	message: v.string()
});

/** Live on the number: ringing, talking or on hold (a call in wrap-up is over). */
async function liveOnNumber(ctx: MutationCtx, number: string): Promise<Doc<'active_calls'> | null> {
	const rows = await ctx.db
		.query('active_calls')
		.withIndex('by_customerNumber', (q) => q.eq('customerNumber', number))
		.collect();
	return rows.find((r) => r.state !== 'wrapup') ?? null;
}

export const claimDial = systemMutation({
	args: {
		/** The agent's leg (the softphone's call), which the outbound route answers. */
		callSid: v.string(),
		agentId: v.string(),
		/** The dialled number, E.164. */
		number: v.string(),
		/** The caller ID the customer sees. */
		from: v.string(),
		customerId: v.optional(v.string()),
		customerName: v.optional(v.string())
	},
	returns: v.union(v.object({ ok: v.literal(true) }), vDialRefusal),
	handler: async (ctx, args) => {
		const now = Date.now();
		const existing = await activeBySid(ctx, args.callSid);
		// A retried delivery of the same dial gets the same admission.
		if (existing) {
			return existing.agentId === args.agentId && existing.customerNumber === args.number
				? { ok: true as const }
				: { ok: false as const, code: 'DIAL_IN_PROGRESS' as const, message: 'This call is already placed.' };
		}
		const mine = await ctx.db
			.query('active_calls')
			.withIndex('by_agentId', (q) => q.eq('agentId', args.agentId))
			.collect();
		const onCall = mine.find((r) => r.state !== 'wrapup');
		if (onCall) return { ok: false as const, code: 'AGENT_ON_CALL' as const, message: 'You are already on a call; hang up before placing another.' };
		if (mine.length > 0)
			return { ok: false as const, code: 'AGENT_ON_CALL' as const, message: 'Save the wrap-up of your last call before placing another.' };
		const agent = await findAgent(ctx, args.agentId);
		if (agent && (agent.status === 'ringing' || (agent.status === 'busy' && agent.activeCallSid))) {
			return {
				ok: false as const,
				code: 'AGENT_ON_CALL' as const,
				message: 'A call is ringing for you or you are on one; finish it before placing another.'
			};
		}
		const live = await liveOnNumber(ctx, args.number);
		if (live) {
			const who = live.agentId === args.agentId ? 'you' : 'another agent';
			return {
				ok: false as const,
				code: 'DIAL_IN_PROGRESS' as const,
				message: `${args.number} is already on a call with ${who}; it cannot be dialled twice at once.`
			};
		}
		await ctx.db.insert('active_calls', {
			callSid: args.callSid,
			direction: 'outbound',
			agentId: args.agentId,
			customerId: args.customerId,
			customerName: args.customerName,
			from: args.from,
			to: args.number,
			customerNumber: args.number,
			state: 'ringing',
			startedAt: now,
			muted: false,
			recording: false
		});
		if (agent) await setAgent(ctx, agent, { status: 'busy', since: now, activeCallSid: args.callSid });
		return { ok: true as const };
	}
});

/** The archive refused or failed after the claim: the dial never happened, so the number and the agent are free again. */
export const releaseDial = systemMutation({
	args: { callSid: v.string() },
	returns: v.null(),
	handler: async (ctx, { callSid }) => {
		const row = await activeBySid(ctx, callSid);
		if (!row || row.direction !== 'outbound' || row.state !== 'ringing') return null;
		await ctx.db.delete('active_calls', row._id);
		const agent = await findAgent(ctx, row.agentId);
		if (agent && agent.activeCallSid === callSid) await setAgent(ctx, agent, { status: 'available', since: Date.now(), activeCallSid: undefined });
		return null;
	}
});

/** The customer answered an outbound call: it is in progress and recording. */
export const answerDial = systemMutation({
	/** customerCallSid: the dialled leg, which call control redirects into the call's conference. */
	args: { callSid: v.string(), customerCallSid: v.optional(v.string()) },
	returns: v.null(),
	handler: async (ctx, { callSid, customerCallSid }) => {
		const row = await activeBySid(ctx, callSid);
		if (!row || row.state !== 'ringing') return null;
		await ctx.db.patch('active_calls', row._id, {
			state: 'in-progress',
			answeredAt: Date.now(),
			recording: true,
			...(customerCallSid ? { customerCallSid, agentCallSid: callSid, bridgedBy: 'dial' as const } : {})
		});
		return null;
	}
});
