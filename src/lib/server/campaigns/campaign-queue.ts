/**
 * Between the archive and hot state: the window of each running campaign's due leads that
 * call_queue holds (filled in small batches, never the whole campaign), and the progress counts
 * the managers' view shows live.
 */
import { and, asc, count, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import type { Db } from '../db/client';
import { campaignAttempts, campaignLeads, campaigns, type Campaign } from '../db/schema/campaigns';
import { customers } from '../db/schema/crm';
import { SYSTEM_IDENTITY, type HotState } from '../live/hot';
import { logger } from '../log';
import { NOT_REACHED } from './manage-campaigns';

const log = logger('campaigns');

/** Leads hydrated per batch; the claim refills when fewer than REFILL_BELOW are ready. */
export const WINDOW = 200;
export const REFILL_BELOW = 60;

export interface QueueDeps {
	db: Db;
	hot: Pick<HotState, 'mutation'>;
}

/** Refills under way, per campaign: agents who run low at the same moment share one instead of each reading the archive. */
const refilling = new Map<string, Promise<number>>();

/** Put the campaign's first WINDOW due pending leads in call_queue, once at a time per campaign (those already there stay as they are). */
export function refillQueue(deps: QueueDeps, campaign: Campaign, now: number): Promise<number> {
	const running = refilling.get(campaign.id);
	if (running) return running;
	const started = fillWindow(deps, campaign, now).finally(() => refilling.delete(campaign.id));
	refilling.set(campaign.id, started);
	return started;
}

async function fillWindow(deps: QueueDeps, campaign: Campaign, now: number): Promise<number> {
	if (campaign.status !== 'running') return 0;
	const due = await deps.db
		.select({
			id: campaignLeads.id,
			customerId: campaignLeads.customerId,
			phone: campaignLeads.phone,
			timeZones: campaignLeads.timeZones,
			position: campaignLeads.position,
			attempts: campaignLeads.attempts,
			lastAttemptAt: campaignLeads.lastAttemptAt,
			nextAttemptAt: campaignLeads.nextAttemptAt,
			firstName: customers.firstName,
			lastName: customers.lastName,
			company: customers.company
		})
		.from(campaignLeads)
		.innerJoin(customers, eq(customers.id, campaignLeads.customerId))
		.where(
			and(
				eq(campaignLeads.campaignId, campaign.id),
				eq(campaignLeads.state, 'pending'),
				or(isNull(campaignLeads.nextAttemptAt), lte(campaignLeads.nextAttemptAt, new Date(now)))
			)
		)
		.orderBy(asc(campaignLeads.position))
		.limit(WINDOW);
	if (due.length === 0) return 0;
	const leads = due.map((l) => ({
		campaignId: campaign.id,
		leadId: l.id,
		customerId: l.customerId,
		name: `${l.firstName} ${l.lastName}`.trim() || l.company || l.phone,
		phone: l.phone,
		timeZones: l.timeZones,
		order: l.position,
		notBefore: l.nextAttemptAt?.getTime() ?? 0,
		attempts: l.attempts,
		lastAttemptAt: l.lastAttemptAt?.getTime()
	}));
	const { inserted } = await deps.hot.mutation(api.campaignQueue.hydrate, { leads }, SYSTEM_IDENTITY);
	return inserted;
}

/** The campaign's counts from the archive, written to hot state for the live progress view. */
export async function publishProgress(deps: QueueDeps, campaignId: string): Promise<void> {
	try {
		const [campaign] = await deps.db.select().from(campaigns).where(eq(campaigns.id, campaignId));
		if (!campaign) return;
		const leadCounts = await deps.db
			.select({ state: campaignLeads.state, n: count() })
			.from(campaignLeads)
			.where(eq(campaignLeads.campaignId, campaignId))
			.groupBy(campaignLeads.state);
		const attemptCounts = await deps.db
			.select({
				result: campaignAttempts.result,
				disposition: campaignAttempts.disposition,
				n: count()
			})
			.from(campaignAttempts)
			.where(eq(campaignAttempts.campaignId, campaignId))
			.groupBy(campaignAttempts.result, campaignAttempts.disposition)
			.orderBy(sql`1`);
		const total = leadCounts.reduce((a, r) => a + r.n, 0);
		const remaining = leadCounts.filter((r) => r.state === 'pending' || r.state === 'dialling').reduce((a, r) => a + r.n, 0);
		const dialled = attemptCounts.filter((r) => r.result === 'dialled').reduce((a, r) => a + r.n, 0);
		const refused = attemptCounts.filter((r) => r.result === 'refused').reduce((a, r) => a + r.n, 0);
		const withDisposition = attemptCounts.filter((r) => r.result === 'dialled' && r.disposition !== null);
		const reached = withDisposition.filter((r) => !NOT_REACHED.has(r.disposition!)).reduce((a, r) => a + r.n, 0);
		const byDisposition = withDisposition.map((r) => ({ disposition: r.disposition!, count: r.n })).sort((a, b) => a.disposition.localeCompare(b.disposition));
		await deps.hot.mutation(
			api.campaignQueue.setProgress,
			{
				progress: {
					campaignId,
					name: campaign.name,
					status: campaign.status,
					total,
					dialled,
					reached,
					refused,
					remaining,
					byDisposition,
					updatedAt: Date.now()
				}
			},
			SYSTEM_IDENTITY
		);
	} catch (error) {
		// The archive holds the truth; the view catches up on the next change.
		log.warn('campaign progress not published', {
			campaignId,
			error: String(error)
		});
	}
}
