/**
 * An agent works a campaign: Next call claims the next eligible lead in one hot-state mutation
 * (campaignQueue.claimNext: no two agents ever get the same lead) and shows it as a preview;
 * Call (or the preview's countdown running out) runs the gate again at dial time, inside the
 * archive transaction that records the attempt; Skip hands the lead back untouched.
 *
 * The dial-time gate, in order: the lead is still pending (not taken or finished meanwhile), the
 * campaign's re-call gap for the lead has passed, then the outbound gate every dial goes through
 * (outbound/gate.ts: the number, the Do-Not-Call ledger, the recipient-local calling window,
 * attempts per 24 h, the per-number re-call gap; it keeps its own audit row). A refusal is
 * recorded as a campaign attempt with its reason, the lead comes back when the rule allows (or
 * never: DNC, a number that cannot be dialled) and the agent is told which rule and the
 * recipient's local time.
 */
import { and, desc, eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import { clockText, localMinutes } from '$lib/campaigns/local-time';
import type { Db, Tx } from '../db/client';
import { campaignAttempts, campaignLeads, type Campaign } from '../db/schema/campaigns';
import { agentSkills } from '../db/schema/staff';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY, type HotState } from '../live/hot';
import { gateAttempt } from '../outbound/gate';
import type { RuleSet } from '../outbound/rule-set';
import { publishProgress, refillQueue, REFILL_BELOW } from './campaign-queue';
import { getCampaign } from './manage-campaigns';

/** The time campaign rules are judged at: the outbound gate's clock (OUTBOUND_CLOCK_START in local mode). */
export interface Clock {
	now(): number;
}

export interface CampaignDeps {
	db: Db;
	hot: Pick<HotState, 'mutation' | 'query'>;
	clock: Clock;
	/** The outbound gate's rules (config.outbound.rules). */
	rules: RuleSet;
}

export interface LeadPreview {
	leadId: string;
	campaignId: string;
	customerId: string | null;
	name: string;
	phone: string;
	attempts: number;
}

export type NextCall = { kind: 'lead'; lead: LeadPreview } | { kind: 'none'; message: string };

/** A lead claimed with Next call and neither dialled nor skipped for this long goes back to the others (its agent left). */
export const CLAIM_HOLD_MS = 10 * 60_000;

function claimArgs(agentId: string, campaign: Campaign, now: number) {
	return {
		agentId,
		campaignId: campaign.id,
		now,
		hoursStart: campaign.hoursStart,
		hoursEnd: campaign.hoursEnd,
		staleBefore: now - CLAIM_HOLD_MS
	};
}

/** A campaign with a skill is worked only by agents who have it (the archive's agent_skills, which routing mirrors). */
async function assertSkill(db: Db, campaign: Campaign, agentId: string): Promise<void> {
	if (!campaign.skill) return;
	const [has] = await db
		.select({ skill: agentSkills.skill })
		.from(agentSkills)
		.where(and(eq(agentSkills.userId, agentId), eq(agentSkills.skill, campaign.skill)));
	if (!has) {
		throw new AppError('FORBIDDEN', 'SKILL_REQUIRED', `"${campaign.name}" is worked by agents with the ${campaign.skill} skill; ask an admin to add it to you.`);
	}
}

/** Claim the next eligible lead for the agent (the one they hold, if any); refills the window when it runs low. */
export async function claimNextLead(deps: CampaignDeps, agentId: string, campaignId: string): Promise<NextCall> {
	const campaign = await getCampaign(deps.db, campaignId);
	if (campaign.status !== 'running') throw new AppError('CONFLICT', 'CAMPAIGN_PAUSED', `"${campaign.name}" is paused; a manager can resume it.`);
	await assertSkill(deps.db, campaign, agentId);
	const now = deps.clock.now();
	let claim = await deps.hot.mutation(api.campaignQueue.claimNext, claimArgs(agentId, campaign, now), SYSTEM_IDENTITY);
	if (!claim.again && claim.ready < REFILL_BELOW) {
		await refillQueue(deps, campaign, now);
		// Another agent's refill may have added the leads this one would have: claim again either way.
		if (!claim.lead) claim = await deps.hot.mutation(api.campaignQueue.claimNext, claimArgs(agentId, campaign, now), SYSTEM_IDENTITY);
	}
	const row = claim.lead;
	if (!row) {
		const message =
			claim.outsideHours > 0
				? `No lead is inside the campaign's calling hours (${clockText(campaign.hoursStart)}-${clockText(campaign.hoursEnd)} their time) right now.`
				: 'No lead is due now: every lead is done or waiting for its re-call time.';
		return { kind: 'none', message };
	}
	return {
		kind: 'lead',
		lead: {
			leadId: row.leadId,
			campaignId: row.campaignId,
			customerId: row.customerId ?? null,
			name: row.name,
			phone: row.phone,
			attempts: row.attempts
		}
	};
}

type Refusal = {
	code: string;
	reason: string;
	nextAttemptAt: Date | null;
	/** The lead ends: dnc for the ledger, done for a number that cannot be dialled. */
	final?: boolean;
};

/** The recipient's local time in each zone, as text for the agent and the audit. */
function localTimes(zones: string[], now: number): string {
	return zones.map((z) => `${clockText(localMinutes(now, z))} ${z}`).join(', ');
}

/** Re-call gap and calling window; null when both allow the dial now. */
function gapRefusal(campaign: Campaign, lead: { lastAttemptAt: Date | null }, now: number): Refusal | null {
	const gapMs = campaign.recallGapMinutes * 60_000;
	if (!lead.lastAttemptAt || now - lead.lastAttemptAt.getTime() >= gapMs) return null;
	const at = new Date(lead.lastAttemptAt.getTime() + gapMs);
	return {
		code: 'RECALL_GAP',
		reason: `This lead was called at ${lead.lastAttemptAt.toISOString()}; the campaign waits ${campaign.recallGapMinutes} minutes between calls, so not before ${at.toISOString()}.`,
		nextAttemptAt: at
	};
}

export type DialDecision =
	| {
			kind: 'dial';
			lead: LeadPreview;
			callerId: string;
			attemptId: string;
			params: {
				To: string;
				customerId: string;
				campaignId: string;
				leadId: string;
				source: 'campaign';
				/** The campaign's caller ID, asked of the dial route (used when it is ours). */
				callerId: string;
				/** The allowed attempt gateLead wrote: the dial route reuses it instead of gating the dial again. */
				outboundAttemptId: string;
			};
	  }
	| { kind: 'refused'; lead: LeadPreview; code: string; reason: string };

type LeadRow = typeof campaignLeads.$inferSelect;

/** Rules whose refusal ends the lead: the number cannot be dialled at all, or it is on the ledger. */
const FINAL_RULES = new Set(['DNC_BLOCKED', 'INVALID_NUMBER', 'SHORT_CODE', 'PREMIUM_RATE', 'INTERNATIONAL_NOT_ALLOWED', 'TIMEZONE_UNKNOWN']);

/** The whole dial-time gate for a lead: the campaign's own re-call gap, then the outbound gate (which writes its own audit row). */
async function gateLead(deps: Pick<CampaignDeps, 'rules'>, tx: Tx, campaign: Campaign, lead: LeadRow, agentId: string, now: number) {
	const refusal = gapRefusal(campaign, lead, now);
	if (refusal) return { refusal, outboundAttemptId: null };
	const gate = await gateAttempt(tx, {
		actor: { id: agentId },
		to: lead.phone,
		channel: 'voice',
		source: 'campaign',
		campaignId: campaign.id,
		leadId: lead.id,
		from: campaign.callerId,
		now: new Date(now),
		rules: deps.rules
	});
	if (gate.ok) return { refusal: null, outboundAttemptId: gate.attemptId };
	const local = gate.recipientLocalTime
		? ` (recipient's local time ${gate.recipientLocalTime.slice(11, 16)}${gate.opensAt ? `; calling opens ${gate.opensAt.toISOString()}` : ''})`
		: '';
	const final = FINAL_RULES.has(gate.rule);
	return {
		refusal: {
			code: gate.rule,
			reason: `${gate.message}${gate.rule === 'DNC_BLOCKED' ? '' : local}`,
			nextAttemptAt: final ? null : (gate.opensAt ?? new Date(now + campaign.recallGapMinutes * 60_000)),
			final
		},
		outboundAttemptId: gate.attemptId
	};
}

/** In one transaction: lock the lead, run the gate, record the attempt and move the lead on. */
async function gateAndRecord(deps: Pick<CampaignDeps, 'rules'>, tx: Tx, agentId: string, leadId: string, now: number) {
	const [lead] = await tx.select().from(campaignLeads).where(eq(campaignLeads.id, leadId)).for('update');
	if (!lead) throw new AppError('NOT_FOUND', 'LEAD_NOT_FOUND', 'This lead is no longer in the campaign.');
	if (lead.state !== 'pending') throw new AppError('CONFLICT', 'LEAD_TAKEN', 'This lead is already being called or is finished; press Next call for another.');
	const campaign = await getCampaign(tx, lead.campaignId);
	const { refusal, outboundAttemptId } = await gateLead(deps, tx, campaign, lead, agentId, now);
	const base = {
		campaignId: lead.campaignId,
		leadId,
		agentId,
		phone: lead.phone,
		recipientLocalTime: localTimes(lead.timeZones, now),
		outboundAttemptId,
		at: new Date(now)
	};
	if (refusal) {
		await tx.insert(campaignAttempts).values({ ...base, result: 'refused', code: refusal.code, reason: refusal.reason });
		await tx
			.update(campaignLeads)
			.set(refusal.final ? { state: refusal.code === 'DNC_BLOCKED' ? 'dnc' : 'done' } : { nextAttemptAt: refusal.nextAttemptAt })
			.where(eq(campaignLeads.id, leadId));
		return { campaign, lead, refusal, attemptId: null, outboundAttemptId };
	}
	const [attempt] = await tx
		.insert(campaignAttempts)
		.values({ ...base, result: 'dialled', code: 'ALLOWED', reason: 'Inside the calling window, past the re-call gap, not on the Do-Not-Call ledger.' })
		.returning({ id: campaignAttempts.id });
	if (!attempt) throw new Error('insert into campaign_attempts returned no row');
	await tx
		.update(campaignLeads)
		.set({ state: 'dialling', attempts: lead.attempts + 1, lastAttemptAt: new Date(now) })
		.where(eq(campaignLeads.id, leadId));
	return { campaign, lead, refusal: null, attemptId: attempt.id, outboundAttemptId };
}

/** Only the agent who claimed the lead with Next call may dial or skip it. */
async function assertHolder(deps: CampaignDeps, agentId: string, leadId: string): Promise<void> {
	const holder = await deps.hot.query(api.campaignQueue.holder, { leadId }, SYSTEM_IDENTITY);
	if (holder !== agentId) throw new AppError('FORBIDDEN', 'NOT_YOUR_LEAD', 'This lead is not yours to call: press Next call to get one.');
}

/** Run the gate for the lead the agent holds and record the attempt; the caller then places the call (or shows the refusal). */
export async function dialLead(deps: CampaignDeps, agentId: string, leadId: string): Promise<DialDecision> {
	await assertHolder(deps, agentId, leadId);
	const now = deps.clock.now();
	const { campaign, lead, refusal, attemptId, outboundAttemptId } = await deps.db.transaction((tx) => gateAndRecord(deps, tx, agentId, leadId, now));
	// The attempt is over for the queue either way: the lead leaves hot state until the archive brings it back.
	await deps.hot.mutation(api.campaignQueue.drop, { leadIds: [leadId] }, SYSTEM_IDENTITY);
	await publishProgress(deps, campaign.id);
	const preview = { leadId, campaignId: campaign.id, customerId: lead.customerId, name: '', phone: lead.phone, attempts: lead.attempts };
	if (refusal || !attemptId || !outboundAttemptId) return { kind: 'refused', lead: preview, code: refusal?.code ?? 'REFUSED', reason: refusal?.reason ?? 'Refused.' };
	return {
		kind: 'dial',
		lead: { ...preview, attempts: lead.attempts + 1 },
		callerId: campaign.callerId,
		attemptId,
		params: { To: lead.phone, customerId: lead.customerId, campaignId: campaign.id, leadId, source: 'campaign', callerId: campaign.callerId, outboundAttemptId }
	};
}

/** The agent passes on the previewed lead: no attempt is counted; it comes back after the campaign's re-call gap. */
export async function skipLead(deps: CampaignDeps, agentId: string, leadId: string): Promise<void> {
	await assertHolder(deps, agentId, leadId);
	const now = deps.clock.now();
	await deps.db.transaction(async (tx) => {
		const [lead] = await tx.select().from(campaignLeads).where(eq(campaignLeads.id, leadId)).for('update');
		if (!lead) throw new AppError('NOT_FOUND', 'LEAD_NOT_FOUND', 'This lead is no longer in the campaign.');
		if (lead.state !== 'pending') throw new AppError('CONFLICT', 'LEAD_TAKEN', 'This lead is already being called or is finished.');
		const campaign = await getCampaign(tx, lead.campaignId);
		await tx.insert(campaignAttempts).values({
			campaignId: lead.campaignId,
			leadId,
			agentId,
			phone: lead.phone,
			result: 'skipped',
			code: 'SKIPPED',
			reason: 'The agent skipped the preview.',
			at: new Date(now)
		});
		await tx
			.update(campaignLeads)
			.set({
				nextAttemptAt: new Date(now + campaign.recallGapMinutes * 60_000)
			})
			.where(eq(campaignLeads.id, leadId));
	});
	await deps.hot.mutation(api.campaignQueue.drop, { leadIds: [leadId] }, SYSTEM_IDENTITY);
}

/** The agent's latest dialled attempt on the lead, which the wrap-up disposition completes. */
export async function latestDialledAttempt(db: Db | Tx, leadId: string, agentId: string) {
	const [attempt] = await db
		.select()
		.from(campaignAttempts)
		.where(and(eq(campaignAttempts.leadId, leadId), eq(campaignAttempts.agentId, agentId), eq(campaignAttempts.result, 'dialled')))
		.orderBy(desc(campaignAttempts.at))
		.limit(1);
	return attempt ?? null;
}
