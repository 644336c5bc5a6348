/**
 * Lookups of the inbound call tables by CallSid, and the one way call functions change an agent's
 * status row. Shared by the call line, wrap-up, the board and start-up hydration.
 */
import { v } from 'convex/values';
import type { Doc } from '../_generated/dataModel';
import type { MutationCtx, QueryCtx } from '../_generated/server';

/** The caller's side of a call, as routing takes it and every call table keeps it. */
export const callerFields = {
	callSid: v.string(),
	from: v.string(),
	to: v.string(),
	customerId: v.optional(v.string()),
	customerName: v.optional(v.string()),
	customerCompany: v.optional(v.string())
};

export async function incomingBySid(ctx: QueryCtx | MutationCtx, callSid: string) {
	return ctx.db
		.query('incoming_call_queue')
		.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
		.unique();
}

export async function activeBySid(ctx: QueryCtx | MutationCtx, callSid: string) {
	return ctx.db
		.query('active_calls')
		.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
		.unique();
}

export async function setAgent(ctx: MutationCtx, agent: Doc<'agent_status'>, patch: Partial<Doc<'agent_status'>>) {
	await ctx.db.patch('agent_status', agent._id, patch);
}

