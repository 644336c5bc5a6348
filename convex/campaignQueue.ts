/**
 * The outbound "next call" queue (call_queue) and each campaign's live progress.
 *
 * The server hydrates a small window of each running campaign's ready leads from the archive
 * (hydrate) and tops it up as agents use it. An agent's Next call is claimNext: one mutation
 * picks the first ready lead whose re-call time has come and whose local time is inside the
 * campaign's calling hours, and marks it claimed by that agent. Mutations are serializable, so
 * two agents pressing Next call at once never get the same lead. When the attempt is over (the
 * gate refused it, the agent skipped it, or the wrap-up decided) the server drops the row; the
 * archive says whether and when the lead comes back.
 */
import { v } from 'convex/values';
import { localMinutes, withinHours } from '../src/lib/campaigns/local-time';
import type { Doc } from './_generated/dataModel';
import { managerQuery, systemMutation, systemQuery } from './lib/functions';
import { vCampaignProgress, vLeadQueueRow } from './schema';

/** Ready leads looked at per claim, at most: those outside calling hours are passed over, not claimed. */
export const CLAIM_SCAN = 200;

const vHydrateLead = v.object({
	campaignId: v.string(),
	leadId: v.string(),
	customerId: v.optional(v.string()),
	name: v.string(),
	phone: v.string(),
	timeZones: v.array(v.string()),
	order: v.number(),
	notBefore: v.number(),
	attempts: v.number(),
	lastAttemptAt: v.optional(v.number())
});

/** Add leads hot state does not hold yet (a lead already there keeps its row, claimed or not). */
export const hydrate = systemMutation({
	args: { leads: v.array(vHydrateLead) },
	returns: v.object({ inserted: v.number() }),
	handler: async (ctx, { leads }) => {
		let inserted = 0;
		for (const lead of leads) {
			const existing = await ctx.db
				.query('call_queue')
				.withIndex('by_leadId', (q) => q.eq('leadId', lead.leadId))
				.unique();
			if (existing) continue;
			await ctx.db.insert('call_queue', { ...lead, state: 'ready' });
			inserted += 1;
		}
		return { inserted };
	}
});

const vClaimed = vLeadQueueRow.extend({
	_id: v.id('call_queue'),
	_creationTime: v.number()
});

/** Whether the campaign's calling hours are open for the lead in every zone it may be in. */
function inHours(row: Doc<'call_queue'>, now: number, start: number, end: number): boolean {
	return row.timeZones.length > 0 && row.timeZones.every((zone) => withinHours(localMinutes(now, zone), start, end));
}

/** The lead this agent holds in the campaign, if any. */
async function heldBy(ctx: { db: import('./_generated/server').QueryCtx['db'] }, agentId: string, campaignId: string): Promise<Doc<'call_queue'> | null> {
	const mine = await ctx.db
		.query('call_queue')
		.withIndex('by_claimedBy', (q) => q.eq('claimedBy', agentId))
		.collect();
	return mine.find((r) => r.campaignId === campaignId) ?? null;
}

/**
 * Claim the next eligible lead of `campaignId` for `agentId`: the agent's own claimed lead if
 * they still hold one (a repeated press is not a second lead), else the first ready lead due by
 * `now` whose local time is inside [hoursStart, hoursEnd). `ready` says how many ready leads are
 * left in the window (up to CLAIM_SCAN), so the server knows when to top it up.
 *
 * Other agents' claims made before `staleBefore` go back to ready first: a claimed lead is only
 * ever a preview (dialling or skipping it drops the row), so an old claim is an agent who left
 * (signed out, closed the tab) and the lead would otherwise never be called.
 */
export const claimNext = systemMutation({
	args: {
		agentId: v.string(),
		campaignId: v.string(),
		now: v.number(),
		hoursStart: v.number(),
		hoursEnd: v.number(),
		staleBefore: v.optional(v.number())
	},
	returns: v.object({
		lead: v.union(vClaimed, v.null()),
		again: v.boolean(),
		ready: v.number(),
		outsideHours: v.number()
	}),
	handler: async (ctx, { agentId, campaignId, now, hoursStart, hoursEnd, staleBefore }) => {
		const held = await heldBy(ctx, agentId, campaignId);
		if (held) return { lead: held, again: true, ready: 0, outsideHours: 0 };
		if (staleBefore !== undefined) {
			const claimed = await ctx.db
				.query('call_queue')
				.withIndex('by_next', (q) => q.eq('campaignId', campaignId).eq('state', 'claimed'))
				.collect();
			for (const row of claimed) {
				if ((row.claimedAt ?? 0) < staleBefore) await ctx.db.patch('call_queue', row._id, { state: 'ready', claimedBy: undefined, claimedAt: undefined });
			}
		}
		const due = await ctx.db
			.query('call_queue')
			.withIndex('by_next', (q) => q.eq('campaignId', campaignId).eq('state', 'ready').lte('notBefore', now))
			.take(CLAIM_SCAN);
		let outsideHours = 0;
		for (const row of due) {
			if (!inHours(row, now, hoursStart, hoursEnd)) {
				outsideHours += 1;
				continue;
			}
			const claimed = {
				state: 'claimed' as const,
				claimedBy: agentId,
				claimedAt: now
			};
			await ctx.db.patch('call_queue', row._id, claimed);
			return {
				lead: { ...row, ...claimed },
				again: false,
				ready: due.length - 1,
				outsideHours
			};
		}
		return { lead: null, again: false, ready: due.length, outsideHours };
	}
});

/** Who holds the lead now (claimed it with Next call), or null: the server lets only them dial or skip it. */
export const holder = systemQuery({
	args: { leadId: v.string() },
	returns: v.union(v.string(), v.null()),
	handler: async (ctx, { leadId }) => {
		const row = await ctx.db
			.query('call_queue')
			.withIndex('by_leadId', (q) => q.eq('leadId', leadId))
			.unique();
		return row?.state === 'claimed' ? (row.claimedBy ?? null) : null;
	}
});

/** The attempt on these leads is over: their rows leave hot state (the archive decides if and when they return). */
export const drop = systemMutation({
	args: { leadIds: v.array(v.string()) },
	returns: v.number(),
	handler: async (ctx, { leadIds }) => {
		let dropped = 0;
		for (const leadId of leadIds) {
			const row = await ctx.db
				.query('call_queue')
				.withIndex('by_leadId', (q) => q.eq('leadId', leadId))
				.unique();
			if (!row) continue;
			await ctx.db.delete('call_queue', row._id);
			dropped += 1;
		}
		return dropped;
	}
});

/** A paused or deleted campaign: every ready lead of it leaves hot state (claimed ones finish their attempt). */
export const clearCampaign = systemMutation({
	args: { campaignId: v.string() },
	returns: v.number(),
	handler: async (ctx, { campaignId }) => {
		const rows = await ctx.db
			.query('call_queue')
			.withIndex('by_next', (q) => q.eq('campaignId', campaignId).eq('state', 'ready'))
			.take(4000);
		for (const row of rows) await ctx.db.delete('call_queue', row._id);
		return rows.length;
	}
});

/** The archive's latest counts for a campaign, written by the server after every change. */
export const setProgress = systemMutation({
	args: { progress: vCampaignProgress },
	returns: v.null(),
	handler: async (ctx, { progress }) => {
		const row = await ctx.db
			.query('campaign_progress')
			.withIndex('by_campaignId', (q) => q.eq('campaignId', progress.campaignId))
			.unique();
		if (row) await ctx.db.replace('campaign_progress', row._id, progress);
		else await ctx.db.insert('campaign_progress', progress);
		return null;
	}
});

/** Every campaign's progress, live, for the managers' campaign page. */
export const progress = managerQuery({
	args: {},
	returns: v.array(
		vCampaignProgress.extend({
			_id: v.id('campaign_progress'),
			_creationTime: v.number()
		})
	),
	handler: async (ctx) => (await ctx.db.query('campaign_progress').collect()).sort((a, b) => a.name.localeCompare(b.name))
});
