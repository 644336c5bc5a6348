/**
 * Campaigns end to end below the UI: the lead import (matched customers, reported rows, one
 * transaction), Next call through the real local engine (20 agents at once never share a lead),
 * the dial-time gate (re-call gap, calling window, Do-Not-Call) and the wrap-up disposition.
 */
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { makeStaff } from '../auth/test-helpers';
import { consentStates } from '../compliance/consent-states';
import { recordConsent } from '../compliance/record-consent';
import { createCustomer } from '../crm/create-customer';
import { campaignAttempts, campaignLeads } from '../db/schema/campaigns';
import { customerPhones, customers } from '../db/schema/crm';
import { agentSkills, skills } from '../db/schema/staff';
import { createTestDb, type TestDb } from '../db/test-db';
import { createLocalHotState, SYSTEM_IDENTITY, type HotState } from '../live/hot';
import { DEFAULT_RULE_SET } from '../outbound/rule-set';
import { finishLead } from './finish-lead';
import { importLeads } from './import-leads';
import { createCampaign, setCampaignStatus } from './manage-campaigns';
import { claimNextLead, dialLead, skipLead, type CampaignDeps } from './next-call';

/** 2026-12-07 17:00 UTC: 12:00 in New York, 07:00 in Honolulu. */
const START = Date.UTC(2026, 11, 7, 17, 0);
let t: TestDb;
let hot: HotState;
let now = START;
let deps: CampaignDeps;
let manager: { id: string };
let agents: { id: string }[];

beforeAll(async () => {
	t = await createTestDb();
	hot = await createLocalHotState();
	deps = { db: t.db, hot, clock: { now: () => now }, rules: DEFAULT_RULE_SET };
	manager = await makeStaff(t.db, 'manager');
	agents = await Promise.all(Array.from({ length: 20 }, () => makeStaff(t.db, 'agent')));
});
afterAll(async () => {
	await hot.close();
	await t.close();
});

const csv = (...lines: string[]) => new TextEncoder().encode(lines.join('\n'));
const phones = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `Lead ${from + i},+1 212 555 ${String(1000 + from + i).slice(-4)}`);
const leadCount = async (campaignId: string) =>
	(await t.db.select({ n: count() }).from(campaignLeads).where(eq(campaignLeads.campaignId, campaignId)))[0]?.n ?? 0;

describe('importLeads', () => {
	it('matches leads to existing customers by number, reports bad rows by line, and adds each number once', async () => {
		const campaign = await createCampaign(t.db, { name: 'Import match', callerId: '+1 415 555 0100' }, manager.id);
		const known = await createCustomer(t.db, {
			firstName: 'Known',
			lastName: 'Customer',
			phones: [{ number: '+1 646 555 0199', label: 'work' }]
		});
		const customersBefore = (await t.db.select({ n: count() }).from(customers))[0]?.n ?? 0;
		const report = await importLeads(t.db, {
			campaignId: campaign.id,
			actorId: manager.id,
			rules: DEFAULT_RULE_SET,
			bytes: csv('name,phone', 'Known Again,(646) 555-0199', 'New Person,+1 646 555 0198', 'Broken,12345')
		});
		expect(report).toEqual({
			rows: 3,
			imported: 2,
			matchedCustomers: 1,
			alreadyInCampaign: 0,
			errorCount: 1,
			errors: [{ line: 4, value: '12345', reason: expect.stringContaining("'12345'") }]
		});
		expect((await t.db.select({ n: count() }).from(customers))[0]?.n).toBe(customersBefore + 1);
		const [matched] = await t.db
			.select()
			.from(campaignLeads)
			.where(and(eq(campaignLeads.campaignId, campaign.id), eq(campaignLeads.phone, '+16465550199')));
		expect(matched?.customerId).toBe(known.id);
		// The same file again adds nothing.
		expect(
			await importLeads(t.db, {
				campaignId: campaign.id,
				actorId: manager.id,
				rules: DEFAULT_RULE_SET,
				bytes: csv('phone', '+1 646 555 0199', '+1 646 555 0198')
			})
		).toMatchObject({ imported: 0, alreadyInCampaign: 2 });
	});

	it('is never half imported: a failure on the last row leaves no lead and no new customer behind', async () => {
		const campaign = await createCampaign(t.db, { name: 'Import atomic', callerId: '+1 415 555 0100' }, manager.id);
		const customersBefore = (await t.db.select({ n: count() }).from(customers))[0]?.n ?? 0;
		// The archive refuses the file's last number part-way through the writes.
		await t.db.execute(
			sql`create or replace function refuse_test_lead() returns trigger language plpgsql as $$ begin if new.phone = '+12125559999' then raise exception 'refused for the test'; end if; return new; end $$`
		);
		await t.db.execute(sql`create trigger refuse_test_lead before insert on campaign_leads for each row execute function refuse_test_lead()`);
		try {
			await expect(
				importLeads(t.db, {
					campaignId: campaign.id,
					actorId: manager.id,
					rules: DEFAULT_RULE_SET,
					bytes: csv('name,phone', ...phones(600), 'Last,+1 212 555 9999')
				})
			).rejects.toThrow();
		} finally {
			await t.db.execute(sql`drop trigger refuse_test_lead on campaign_leads`);
		}
		expect(await leadCount(campaign.id)).toBe(0);
		expect((await t.db.select({ n: count() }).from(customers))[0]?.n).toBe(customersBefore);
		expect((await t.db.select({ n: count() }).from(customerPhones).where(eq(customerPhones.e164, '+12125551000')))[0]?.n).toBe(0);
	});
});

describe('Next call', () => {
	it('never gives two of 20 agents pressing at once the same lead, round after round', async () => {
		const campaign = await createCampaign(
			t.db,
			{
				name: 'Race',
				callerId: '+1 415 555 0100',
				hoursStart: '00:00',
				hoursEnd: '24:00'
			},
			manager.id
		);
		await importLeads(t.db, {
			campaignId: campaign.id,
			actorId: manager.id,
			rules: DEFAULT_RULE_SET,
			bytes: csv('name,phone', ...phones(230))
		});
		const seen = new Set<string>();
		for (let round = 0; round < 5; round++) {
			const claims = await Promise.all(agents.map((a) => claimNextLead(deps, a.id, campaign.id)));
			const ids = claims.map((c) => (c.kind === 'lead' ? c.lead.leadId : null));
			expect(ids.every((id) => id !== null)).toBe(true);
			expect(new Set(ids).size).toBe(agents.length);
			for (const id of ids) {
				expect(seen.has(id!), `lead ${id} handed out twice`).toBe(false);
				seen.add(id!);
			}
			// Each agent finishes with its lead, so the next round takes new ones (and the window refills).
			await Promise.all(agents.map((a, i) => skipLead(deps, a.id, ids[i]!)));
		}
		expect(seen.size).toBe(100);
	});

	it('gives a lead claimed and left undialled for ten minutes to the next agent; the one who left can no longer dial it', async () => {
		now = START;
		const campaign = await createCampaign(t.db, { name: 'Walked away', callerId: '+1 415 555 0100', hoursStart: '00:00', hoursEnd: '24:00' }, manager.id);
		await importLeads(t.db, { campaignId: campaign.id, actorId: manager.id, rules: DEFAULT_RULE_SET, bytes: csv('name,phone', 'Only Lead,+1 212 555 7300') });
		const [gone, next] = [agents[5]!, agents[6]!];
		const first = await claimNextLead(deps, gone.id, campaign.id);
		if (first.kind !== 'lead') throw new Error(first.message);
		now = START + 9 * 60_000;
		expect(await claimNextLead(deps, next.id, campaign.id)).toMatchObject({ kind: 'none' });
		now = START + 10 * 60_000 + 1;
		expect(await claimNextLead(deps, next.id, campaign.id)).toMatchObject({ kind: 'lead', lead: { leadId: first.lead.leadId } });
		await expect(dialLead(deps, gone.id, first.lead.leadId)).rejects.toMatchObject({ code: 'NOT_YOUR_LEAD' });
		expect(await dialLead(deps, next.id, first.lead.leadId)).toMatchObject({ kind: 'dial' });
	});

	it("is worked only by agents with the campaign's skill", async () => {
		now = START;
		const campaign = await createCampaign(t.db, { name: 'Spanish line', callerId: '+1 415 555 0100', skill: 'spanish', hoursStart: '00:00', hoursEnd: '24:00' }, manager.id);
		await importLeads(t.db, { campaignId: campaign.id, actorId: manager.id, rules: DEFAULT_RULE_SET, bytes: csv('name,phone', 'Hola,+1 212 555 7400') });
		const agent = agents[7]!;
		await expect(claimNextLead(deps, agent.id, campaign.id)).rejects.toMatchObject({
			code: 'SKILL_REQUIRED',
			message: '"Spanish line" is worked by agents with the spanish skill; ask an admin to add it to you.'
		});
		await t.db.insert(skills).values({ id: 'spanish', name: 'Spanish' }).onConflictDoNothing();
		await t.db.insert(agentSkills).values({ userId: agent.id, skill: 'spanish' });
		expect(await claimNextLead(deps, agent.id, campaign.id)).toMatchObject({ kind: 'lead', lead: { phone: '+12125557400' } });
	});

	it('never dials a lead inside its re-call gap, however it is asked', async () => {
		now = START;
		const campaign = await createCampaign(
			t.db,
			{
				name: 'Gap',
				callerId: '+1 415 555 0100',
				recallGapMinutes: 30,
				maxAttempts: 3
			},
			manager.id
		);
		await importLeads(t.db, {
			campaignId: campaign.id,
			actorId: manager.id,
			rules: DEFAULT_RULE_SET,
			bytes: csv('name,phone', 'Gap Lead,+1 212 555 7000')
		});
		const [agent] = agents;
		const first = await claimNextLead(deps, agent!.id, campaign.id);
		if (first.kind !== 'lead') throw new Error('no lead');
		expect(await dialLead(deps, agent!.id, first.lead.leadId)).toMatchObject({
			kind: 'dial',
			params: { To: '+12125557000', leadId: first.lead.leadId }
		});
		expect(
			await finishLead(deps, agent!.id, {
				leadId: first.lead.leadId,
				disposition: 'No answer'
			})
		).toEqual({
			state: 'pending',
			nextAttemptAt: new Date(START + 30 * 60_000).toISOString()
		});
		// Every five minutes of the gap: Next call has nothing, a dial by someone not holding the lead is refused, and even
		// with hot state wrong (the lead put back as due and claimed) the archive's gate refuses it with the rule.
		const lead = {
			campaignId: campaign.id,
			leadId: first.lead.leadId,
			name: 'Gap Lead',
			phone: '+12125557000',
			timeZones: ['America/New_York'],
			order: 1,
			notBefore: 0,
			attempts: 1
		};
		for (let minute = 0; minute < 30; minute += 5) {
			now = START + minute * 60_000;
			expect(await claimNextLead(deps, agents[1]!.id, campaign.id)).toMatchObject({ kind: 'none' });
			await expect(dialLead(deps, agents[1]!.id, first.lead.leadId)).rejects.toMatchObject({ code: 'NOT_YOUR_LEAD' });
			await hot.mutation(api.campaignQueue.hydrate, { leads: [lead] }, SYSTEM_IDENTITY);
			await hot.mutation(api.campaignQueue.claimNext, { agentId: agents[1]!.id, campaignId: campaign.id, now, hoursStart: 0, hoursEnd: 1440 }, SYSTEM_IDENTITY);
			expect(await dialLead(deps, agents[1]!.id, first.lead.leadId)).toMatchObject({ kind: 'refused', code: 'RECALL_GAP' });
		}
		now = START + 30 * 60_000;
		const again = await claimNextLead(deps, agents[1]!.id, campaign.id);
		expect(again).toMatchObject({
			kind: 'lead',
			lead: { leadId: first.lead.leadId, attempts: 1 }
		});
		expect(await dialLead(deps, agents[1]!.id, first.lead.leadId)).toMatchObject({ kind: 'dial' });
		const dialled = await t.db
			.select()
			.from(campaignAttempts)
			.where(and(eq(campaignAttempts.leadId, first.lead.leadId), eq(campaignAttempts.result, 'dialled')))
			.orderBy(campaignAttempts.at);
		expect(dialled.map((a) => a.at.getTime())).toEqual([START, START + 30 * 60_000]);
	});

	it('refuses a number on the Do-Not-Call ledger and one outside the calling window, with the reason and the local time', async () => {
		now = START;
		const campaign = await createCampaign(
			t.db,
			{
				name: 'Gate',
				callerId: '+1 415 555 0100',
				hoursStart: '00:00',
				hoursEnd: '24:00'
			},
			manager.id
		);
		await recordConsent(t.db, {
			phone: '+12125558000',
			channel: 'all',
			action: 'opt_out',
			source: 'agent',
			reason: 'asked on the phone'
		});
		await importLeads(t.db, {
			campaignId: campaign.id,
			actorId: manager.id,
			rules: DEFAULT_RULE_SET,
			bytes: csv('name,phone', 'On Ledger,+1 212 555 8000', 'In Honolulu,+1 808 555 0123', 'Fine,+1 212 555 8001')
		});
		const agent = agents[2]!;
		const decisions = [];
		for (let i = 0; i < 3; i++) {
			const next = await claimNextLead(deps, agent.id, campaign.id);
			if (next.kind !== 'lead') throw new Error(next.message);
			decisions.push(await dialLead(deps, agent.id, next.lead.leadId));
		}
		expect(decisions.map((d) => [d.lead.phone, d.kind, d.kind === 'refused' ? d.code : ''])).toEqual([
			['+12125558000', 'refused', 'DNC_BLOCKED'],
			['+18085550123', 'refused', 'OUTSIDE_CALLING_HOURS'],
			['+12125558001', 'dial', '']
		]);
		expect(decisions[1]).toMatchObject({
			reason: expect.stringContaining("(recipient's local time 07:00; calling opens 2026-12-07T18:00:00.000Z)")
		});
		const states = await t.db
			.select({
				phone: campaignLeads.phone,
				state: campaignLeads.state,
				next: campaignLeads.nextAttemptAt
			})
			.from(campaignLeads)
			.where(eq(campaignLeads.campaignId, campaign.id))
			.orderBy(campaignLeads.position);
		expect(states).toEqual([
			{ phone: '+12125558000', state: 'dnc', next: null },
			{
				phone: '+18085550123',
				state: 'pending',
				next: new Date(START + 3_600_000)
			},
			{ phone: '+12125558001', state: 'dialling', next: null }
		]);
	});

	it('lets the disposition decide: Do not call goes on the ledger, an ending one finishes the lead; progress follows live', async () => {
		now = START;
		const campaign = await createCampaign(t.db, { name: 'Dispositions', callerId: '+1 415 555 0100' }, manager.id);
		await importLeads(t.db, {
			campaignId: campaign.id,
			actorId: manager.id,
			rules: DEFAULT_RULE_SET,
			bytes: csv('name,phone', 'Stop Me,+1 212 555 8100', 'Buyer,+1 212 555 8101')
		});
		const agent = agents[3]!;
		for (const disposition of ['Do not call', 'Sale']) {
			const next = await claimNextLead(deps, agent.id, campaign.id);
			if (next.kind !== 'lead') throw new Error(next.message);
			await dialLead(deps, agent.id, next.lead.leadId);
			await finishLead(deps, agent.id, {
				leadId: next.lead.leadId,
				disposition
			});
		}
		expect((await consentStates(t.db, ['+12125558100'])).get('+12125558100')?.channels.voice.state).toBe('opted_out');
		const progress = (await hot.query(api.campaignQueue.progress, {}, { subject: manager.id, role: 'manager', name: 'M' })).find(
			(p) => p.campaignId === campaign.id
		);
		expect(progress).toMatchObject({
			total: 2,
			dialled: 2,
			reached: 2,
			remaining: 0,
			byDisposition: [
				{ disposition: 'Do not call', count: 1 },
				{ disposition: 'Sale', count: 1 }
			]
		});
		await setCampaignStatus(deps, campaign.id, 'paused');
		await expect(claimNextLead(deps, agent.id, campaign.id)).rejects.toMatchObject({ code: 'CAMPAIGN_PAUSED' });
	});
});
