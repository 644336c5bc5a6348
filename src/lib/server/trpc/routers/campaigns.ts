/**
 * Next-call campaigns. Managers create, pause and resume campaigns and import lead files; every
 * agent may list them and work one: Next call (claim the next lead), Call (the dial-time gate,
 * then the softphone places the call), Skip, and the wrap-up disposition that decides the lead.
 * A lead's dial, skip and disposition are checked against the agent who holds it.
 */
import { z } from 'zod';
import { campaignDeps } from '../../campaigns/campaign-deps';
import { finishLead } from '../../campaigns/finish-lead';
import { importLeads } from '../../campaigns/import-leads';
import { CAMPAIGN_DISPOSITIONS, createCampaign, listCampaigns, setCampaignStatus } from '../../campaigns/manage-campaigns';
import { claimNextLead, dialLead, skipLead } from '../../campaigns/next-call';
import { MAX_LEADS_FILE_BYTES } from '../../campaigns/parse-leads';
import { publishProgress } from '../../campaigns/campaign-queue';
import { CAMPAIGN_STATUSES, type Campaign } from '../../db/schema/campaigns';
import { badRequest } from '../../errors';
import { agentProcedure, managerProcedure, router } from '../init';

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
const view = (c: Campaign) => ({
	id: c.id,
	name: c.name,
	callerId: c.callerId,
	skill: c.skill,
	hoursStart: hhmm(c.hoursStart),
	hoursEnd: hhmm(c.hoursEnd),
	maxAttempts: c.maxAttempts,
	recallGapMinutes: c.recallGapMinutes,
	endDispositions: c.endDispositions,
	dncDispositions: c.dncDispositions,
	status: c.status
});

const ZLead = z.object({ leadId: z.uuid({ error: 'leadId must be a lead id.' }) });
const ZCampaignId = z.object({ campaignId: z.uuid({ error: 'campaignId must be a campaign id.' }) });
/** Base64 of the file's bytes: the importer needs them raw to find lines in another encoding. */
const MAX_BASE64 = Math.ceil((MAX_LEADS_FILE_BYTES * 4) / 3) + 4;

export const campaignsRouter = router({
	list: agentProcedure.query(async ({ ctx }) => (await listCampaigns(ctx.services.db)).map(view)),
	dispositions: agentProcedure.query(() => [...CAMPAIGN_DISPOSITIONS]),
	create: managerProcedure
		.input(
			z.object({
				name: z.string(),
				callerId: z.string(),
				skill: z.string().nullish(),
				hoursStart: z.string().optional(),
				hoursEnd: z.string().optional(),
				maxAttempts: z.int().optional(),
				recallGapMinutes: z.int().optional(),
				endDispositions: z.array(z.string()).optional(),
				dncDispositions: z.array(z.string()).optional()
			})
		)
		.mutation(async ({ ctx, input }) => {
			const campaign = await createCampaign(ctx.services.db, input as Parameters<typeof createCampaign>[1], ctx.user.id);
			await publishProgress(campaignDeps(ctx.services), campaign.id);
			return view(campaign);
		}),
	setStatus: managerProcedure.input(ZCampaignId.extend({ status: z.enum(CAMPAIGN_STATUSES) })).mutation(async ({ ctx, input }) => {
		const deps = campaignDeps(ctx.services);
		const campaign = await setCampaignStatus(deps, input.campaignId, input.status);
		await publishProgress(deps, campaign.id);
		return view(campaign);
	}),
	importLeads: managerProcedure
		.input(
			ZCampaignId.extend({ fileBase64: z.string().max(MAX_BASE64, { error: `A lead file is at most ${MAX_LEADS_FILE_BYTES / 1024 / 1024} MB; split it.` }) })
		)
		.mutation(async ({ ctx, input }) => {
			if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input.fileBase64)) throw badRequest('NOT_CSV', 'The file did not arrive intact; choose it again.');
			const deps = campaignDeps(ctx.services);
			const bytes = new Uint8Array(Buffer.from(input.fileBase64, 'base64'));
			const report = await importLeads(deps.db, { campaignId: input.campaignId, bytes, actorId: ctx.user.id, rules: deps.rules });
			await publishProgress(deps, input.campaignId);
			return report;
		}),
	next: agentProcedure.input(ZCampaignId).mutation(({ ctx, input }) => claimNextLead(campaignDeps(ctx.services), ctx.user.id, input.campaignId)),
	dial: agentProcedure.input(ZLead).mutation(({ ctx, input }) => dialLead(campaignDeps(ctx.services), ctx.user.id, input.leadId)),
	skip: agentProcedure.input(ZLead).mutation(({ ctx, input }) => skipLead(campaignDeps(ctx.services), ctx.user.id, input.leadId)),
	disposition: agentProcedure
		.input(ZLead.extend({ disposition: z.string().max(64) }))
		.mutation(({ ctx, input }) => finishLead(campaignDeps(ctx.services), ctx.user.id, input))
});
