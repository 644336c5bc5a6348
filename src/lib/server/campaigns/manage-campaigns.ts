/**
 * Managers create campaigns and pause or resume them. A campaign says who may work it (skill),
 * the number customers see, its calling hours in the recipient's local time, how many attempts a
 * lead gets, the re-call gap between them and which wrap-up dispositions end a lead (done) or put
 * its number on the Do-Not-Call ledger. Pausing takes its ready leads out of hot state at once.
 */
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { api } from '$convex/_generated/api';
import type { Db, Tx } from '../db/client';
import { campaigns, type Campaign, type CampaignStatus } from '../db/schema/campaigns';
import { normalizePhone } from '../crm/normalize-phone';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY, type HotState } from '../live/hot';

/** Wrap-up dispositions of a campaign call; a campaign picks which end a lead and which mean Do-Not-Call. */
export const CAMPAIGN_DISPOSITIONS = ['Sale', 'No sale', 'Call back later', 'No answer', 'Voicemail', 'Wrong number', 'Do not call'] as const;
/** Dispositions that say nobody was reached (the progress view's "reached" leaves them out). */
export const NOT_REACHED = new Set<string>(['No answer', 'Voicemail']);

const HHMM = z
	.string()
	.regex(/^([01]\d|2[0-4]):[0-5]\d$/, {
		error: 'Write calling hours as HH:MM, e.g. 09:00.'
	})
	.transform((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)));

export const ZCampaignInput = z
	.object({
		name: z
			.string()
			.trim()
			.min(2, { error: 'Give the campaign a name (at least 2 characters).' })
			.max(100, { error: 'A campaign name is at most 100 characters.' }),
		callerId: z.string().trim().min(1, { error: 'Enter the caller-ID number customers will see.' }),
		skill: z.string().trim().max(64).optional().nullable(),
		hoursStart: HHMM.default(9 * 60),
		hoursEnd: HHMM.default(20 * 60),
		maxAttempts: z.int().min(1, { error: 'A lead gets at least 1 attempt.' }).max(20, { error: 'At most 20 attempts per lead.' }).default(3),
		recallGapMinutes: z
			.int()
			.min(0)
			.max(43_200, {
				error: 'The re-call gap is at most 30 days (43200 minutes).'
			})
			.default(60),
		endDispositions: z.array(z.enum(CAMPAIGN_DISPOSITIONS)).default(['Sale', 'No sale', 'Wrong number']),
		dncDispositions: z.array(z.enum(CAMPAIGN_DISPOSITIONS)).default(['Do not call'])
	})
	.refine((c) => c.hoursStart < c.hoursEnd && c.hoursEnd <= 1440, {
		error: 'Calling hours must end after they start, on the same day.',
		path: ['hoursEnd']
	});
export type CampaignInput = z.input<typeof ZCampaignInput>;

export async function createCampaign(db: Db, input: CampaignInput, actorId: string): Promise<Campaign> {
	const c = ZCampaignInput.parse(input);
	const callerId = normalizePhone(c.callerId).e164;
	try {
		const [row] = await db
			.insert(campaigns)
			.values({ ...c, skill: c.skill || null, callerId, createdBy: actorId })
			.returning();
		if (!row) throw new Error('insert into campaigns returned no row');
		return row;
	} catch (error) {
		if (String((error as { cause?: unknown }).cause ?? error).includes('campaigns_name_key')) {
			throw new AppError('CONFLICT', 'CAMPAIGN_EXISTS', `A campaign named "${c.name}" already exists; pick another name.`);
		}
		throw error;
	}
}

export async function getCampaign(db: Db | Tx, id: string): Promise<Campaign> {
	const [row] = z.uuid().safeParse(id).success ? await db.select().from(campaigns).where(eq(campaigns.id, id)) : [];
	if (!row) throw new AppError('NOT_FOUND', 'CAMPAIGN_NOT_FOUND', 'No such campaign; it may have been removed.');
	return row;
}

export async function listCampaigns(db: Db): Promise<Campaign[]> {
	return db.select().from(campaigns).orderBy(asc(campaigns.name));
}

/** Pause or resume. Pausing drops the campaign's ready leads from hot state; resuming lets the next Next call refill them. */
export async function setCampaignStatus(deps: { db: Db; hot: Pick<HotState, 'mutation'> }, id: string, status: CampaignStatus): Promise<Campaign> {
	const campaign = await getCampaign(deps.db, id);
	const [row] = await deps.db.update(campaigns).set({ status }).where(eq(campaigns.id, campaign.id)).returning();
	if (status === 'paused') {
		// Leads the window held go back to pending, so a resume hydrates them again.
		await deps.hot.mutation(api.campaignQueue.clearCampaign, { campaignId: campaign.id }, SYSTEM_IDENTITY);
	}
	return row ?? campaign;
}
