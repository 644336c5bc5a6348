/**
 * Next-call claim at scale: a campaign of 100,000 leads in the archive, 50 agents pressing Next
 * call at the same moment, round after round (each agent then skips its lead, so the window
 * empties and refills from the archive as in real use). Each figure is one agent's whole
 * claimNextLead (hot-state claim, and the archive refill when the window runs low). Baseline:
 * 50 concurrent round trips of the engine's cheapest function (health.ping) in the same run.
 */
import { randomUUID } from 'node:crypto';
import { count, sql } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import { claimNextLead, skipLead, type CampaignDeps } from '../../src/lib/server/campaigns/next-call';
import { createCampaign } from '../../src/lib/server/campaigns/manage-campaigns';
import type { Db } from '../../src/lib/server/db/client';
import { user } from '../../src/lib/server/db/schema/auth';
import { customerPhones } from '../../src/lib/server/db/schema/crm';
import { SYSTEM_IDENTITY, type HotState } from '../../src/lib/server/live/hot';
import { DEFAULT_RULE_SET } from '../../src/lib/server/outbound/rule-set';
import { generateCustomers } from '../../src/lib/server/seed/generate-customers';

export interface NextCallBench {
	claimsMs: number[];
	baselineMs: number[];
	leads: number;
}

/** Leads for the campaign: every customer phone in the archive, up to `leads`, in one INSERT ... SELECT. */
async function seedLeads(db: Db, campaignId: string, leads: number): Promise<void> {
	const [row] = await db.select({ n: count() }).from(customerPhones);
	const have = row?.n ?? 0;
	if (have < leads) await generateCustomers(db, leads - have, { seed: 7, startIndex: have });
	await db.execute(sql`
		insert into campaign_leads (campaign_id, customer_id, phone, time_zones, position)
		select ${campaignId}::uuid, customer_id, e164, array['America/New_York'], row_number() over (order by e164)
		from (select distinct on (e164) customer_id, e164 from customer_phones order by e164) p
		limit ${leads}
		on conflict do nothing`);
}

export async function benchNextCall(db: Db, hot: HotState, options: { leads: number; agents: number; rounds: number }): Promise<NextCallBench> {
	const agents = Array.from({ length: options.agents }, () => randomUUID());
	await db.insert(user).values(agents.map((id, i) => ({ id, name: `Bench agent ${i}`, email: `bench-${id}@bench.local`, role: 'agent' as const })));
	const campaign = await createCampaign(db, { name: `Bench ${randomUUID().slice(0, 8)}`, callerId: '+14155550100', hoursStart: '00:00', hoursEnd: '24:00', recallGapMinutes: 600 }, agents[0]!);
	await seedLeads(db, campaign.id, options.leads);
	const deps: CampaignDeps = { db, hot, rules: DEFAULT_RULE_SET, clock: { now: () => Date.now() } };
	const claimsMs: number[] = [];
	const baselineMs: number[] = [];
	for (let round = 0; round < options.rounds + 1; round++) {
		const timed = await Promise.all(
			agents.map(async (agentId) => {
				const t0 = performance.now();
				const next = await claimNextLead(deps, agentId, campaign.id);
				return { ms: performance.now() - t0, next, agentId };
			})
		);
		const ids = timed.flatMap((t) => (t.next.kind === 'lead' ? [t.next.lead.leadId] : []));
		if (new Set(ids).size !== ids.length) throw new Error('benchNextCall: two agents got the same lead');
		const base = await Promise.all(
			agents.map(async () => {
				const t0 = performance.now();
				await hot.query(api.health.ping, {}, SYSTEM_IDENTITY);
				return performance.now() - t0;
			})
		);
		// The first round fills the window from the archive: a warm-up, not counted.
		if (round > 0) {
			claimsMs.push(...timed.map((t) => t.ms));
			baselineMs.push(...base);
		}
		await Promise.all(timed.flatMap((t) => (t.next.kind === 'lead' ? [skipLead(deps, t.agentId, t.next.lead.leadId)] : [])));
	}
	return { claimsMs, baselineMs, leads: options.leads };
}
