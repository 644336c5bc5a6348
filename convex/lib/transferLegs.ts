/**
 * A transferred call's target legs end with the call. A target agent who joined a three-way call
 * is on a leg row of their own (transfers.ts followTarget), which no status callback of the carrier
 * ends (it is a conference participant leg); so when the call itself ends, that row goes and the
 * target is available again. (A completed transfer hands the call's own row to the target instead,
 * so its end puts them in wrap-up like any call: transfers.ts handOver.)
 */
import type { MutationCtx } from '../_generated/server';
import { activeBySid, setAgent } from './callRows';
import { findAgent } from './routing';

export async function endTransferTargets(ctx: MutationCtx, callSid: string, now: number): Promise<void> {
	const transfers = await ctx.db
		.query('transfer_queue')
		.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
		.collect();
	for (const t of transfers) {
		if ((t.phase !== 'completed' && t.phase !== 'joined') || !t.toAgentId) continue;
		const legSid = t.targetCallSid ?? `transfer-${t.transferId}`;
		const leg = await activeBySid(ctx, legSid);
		if (!leg) continue;
		await ctx.db.delete('active_calls', leg._id);
		const agent = await findAgent(ctx, leg.agentId);
		if (agent && agent.activeCallSid === legSid) await setAgent(ctx, agent, { status: 'available', since: now, activeCallSid: undefined });
	}
}
