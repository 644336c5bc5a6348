/**
 * The wrap-up disposition of a campaign call decides what happens to the lead, in one archive
 * transaction with the attempt's disposition: a Do-Not-Call disposition puts the number on the
 * ledger (both channels) and ends the lead; an ending disposition, or the last allowed attempt,
 * ends it (done); anything else brings it back after the campaign's re-call gap.
 */
import { eq } from 'drizzle-orm';
import { campaignAttempts, campaignLeads, type LeadState } from '../db/schema/campaigns';
import { recordConsent } from '../compliance/record-consent';
import { AppError } from '../errors';
import { publishProgress } from './campaign-queue';
import { CAMPAIGN_DISPOSITIONS, getCampaign } from './manage-campaigns';
import { latestDialledAttempt, type CampaignDeps } from './next-call';

export type LeadOutcome = { state: LeadState; nextAttemptAt: string | null };

export async function finishLead(deps: CampaignDeps, agentId: string, input: { leadId: string; disposition: string }): Promise<LeadOutcome> {
	if (!(CAMPAIGN_DISPOSITIONS as readonly string[]).includes(input.disposition)) {
		throw new AppError('BAD_REQUEST', 'INVALID_DISPOSITION', `Pick one of: ${CAMPAIGN_DISPOSITIONS.join(', ')}.`);
	}
	const now = deps.clock.now();
	const outcome = await deps.db.transaction(async (tx) => {
		const [lead] = await tx.select().from(campaignLeads).where(eq(campaignLeads.id, input.leadId)).for('update');
		if (!lead) throw new AppError('NOT_FOUND', 'LEAD_NOT_FOUND', 'This lead is no longer in the campaign.');
		const attempt = await latestDialledAttempt(tx, lead.id, agentId);
		if (lead.state !== 'dialling' || !attempt || attempt.disposition !== null) {
			throw new AppError('CONFLICT', 'NOT_DIALLING', 'You have no call on this lead waiting for a disposition.');
		}
		const campaign = await getCampaign(tx, lead.campaignId);
		let result: LeadOutcome;
		if (campaign.dncDispositions.includes(input.disposition)) {
			await recordConsent(tx, {
				phone: lead.phone,
				channel: 'all',
				action: 'opt_out',
				source: 'agent',
				userId: agentId,
				reason: `Asked not to be called (campaign "${campaign.name}")`
			});
			result = { state: 'dnc', nextAttemptAt: null };
		} else if (campaign.endDispositions.includes(input.disposition) || lead.attempts >= campaign.maxAttempts) {
			result = { state: 'done', nextAttemptAt: null };
		} else {
			result = {
				state: 'pending',
				nextAttemptAt: new Date(now + campaign.recallGapMinutes * 60_000).toISOString()
			};
		}
		await tx.update(campaignAttempts).set({ disposition: input.disposition }).where(eq(campaignAttempts.id, attempt.id));
		await tx
			.update(campaignLeads)
			.set({
				state: result.state,
				lastDisposition: input.disposition,
				nextAttemptAt: result.nextAttemptAt ? new Date(result.nextAttemptAt) : null
			})
			.where(eq(campaignLeads.id, lead.id));
		return { result, campaignId: campaign.id };
	});
	await publishProgress(deps, outcome.campaignId);
	return outcome.result;
}
