/**
 * A transferred call's target legs end with the call. A target agent who joined a three-way call
 * is on a leg row of their own (transfers.ts followTarget), which no status callback of the carrier
 * ends (it is a conference participant leg); so when the call itself ends, that row becomes their
 * wrap-up, like any agent on a call at its end: on the CallSid of their part
 * (joinedTargetCallSid, handoffOf the call), with the call's wrap-up time; their form and Ready now
 * land on call_transfers.to_* (calls/handoff-wrapup.ts). (A completed transfer hands the call's own
 * row to the target instead, so its end puts them in wrap-up on the call: transfers.ts handOver.)
 */
import { joinedTargetCallSid } from '../../src/lib/transfers/handoff';
import type { Doc } from '../_generated/dataModel';
import type { MutationCtx } from '../_generated/server';
import { activeBySid, setAgent } from './callRows';
import { findAgent } from './routing';

export async function endTransferTargets(ctx: MutationCtx, callSid: string, now: number, wrapupSeconds?: number): Promise<void> {
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
		const onIt = agent && agent.activeCallSid === legSid;
		if (t.phase !== 'joined') {
			if (onIt) await setAgent(ctx, agent, { status: 'available', since: now, activeCallSid: undefined });
			continue;
		}
		await targetWrapup(ctx, t.transferId, callSid, leg, now, wrapupSeconds, Boolean(onIt));
	}
}

async function targetWrapup(ctx: MutationCtx, transferId: string, callSid: string, leg: Doc<'active_calls'>, now: number, wrapupSeconds: number | undefined, onIt: boolean) {
	const sid = joinedTargetCallSid(transferId);
	if (!(await activeBySid(ctx, sid))) {
		const { _id, _creationTime, agentCallSid: _a, parentCallSid: _p, conferenceName: _c, holdStartedAt: _h, wrapupEndsAt: _w, ...rest } = leg;
		await ctx.db.insert('active_calls', {
			...rest,
			callSid: sid,
			handoffOf: callSid,
			state: 'wrapup',
			endedAt: now,
			...(wrapupSeconds !== undefined ? { wrapupEndsAt: now + wrapupSeconds * 1000 } : {})
		});
	}
	const agent = await findAgent(ctx, leg.agentId);
	if (agent && onIt) await setAgent(ctx, agent, { status: 'wrapup', since: now, activeCallSid: sid });
}

/**
 * A three-way call's target left it before its end (hung up their leg): their part ends now, into
 * wrap-up as at the call's end. Answers the transfer, for the archive's half; null for any other leg.
 */
export async function joinedTargetLeaves(ctx: MutationCtx, legSid: string, now: number, wrapupSeconds?: number): Promise<string | null> {
	const leg = await activeBySid(ctx, legSid);
	if (!leg || leg.state === 'wrapup') return null;
	const joined = await ctx.db
		.query('transfer_queue')
		.withIndex('by_phase', (q) => q.eq('phase', 'joined'))
		.take(500);
	const t = joined.find((r) => r.toAgentId === leg.agentId && (r.targetCallSid ?? `transfer-${r.transferId}`) === legSid);
	if (!t) return null;
	await ctx.db.delete('active_calls', leg._id);
	const agent = await findAgent(ctx, leg.agentId);
	await targetWrapup(ctx, t.transferId, t.callSid, leg, now, wrapupSeconds, agent?.activeCallSid === legSid);
	return t.transferId;
}
