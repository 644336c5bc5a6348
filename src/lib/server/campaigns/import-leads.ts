/**
 * A manager imports a lead file into a campaign. The file is read first (parse-leads.ts: refused
 * whole, or bad rows reported with line and reason); the good rows are then written in ONE
 * transaction, so a failure part-way leaves nothing behind. Each lead is matched to the CRM
 * customer who already has that number (no duplicate record); a number nobody has becomes a
 * new lead record. A number already in the campaign is counted, not added twice.
 */
import { and, eq, inArray, max } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { campaignLeads, campaigns } from '../db/schema/campaigns';
import { customerPhones, customers } from '../db/schema/crm';
import { AppError } from '../errors';
import type { RuleSet } from '../outbound/rule-set';
import { MAX_LISTED_ROW_ERRORS, parseLeads, type LeadRowError, type ParsedLead } from './parse-leads';

export interface LeadImportReport {
	rows: number;
	imported: number;
	/** Leads matched to a customer record that already had the number. */
	matchedCustomers: number;
	alreadyInCampaign: number;
	errorCount: number;
	errors: LeadRowError[];
}

const BATCH = 500;

function chunks<T>(items: T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

/** The customer already holding each number (the oldest record, when several do). */
async function existingCustomers(tx: Tx, phones: string[]): Promise<Map<string, string>> {
	const found = new Map<string, string>();
	for (const part of chunks(phones, BATCH)) {
		const rows = await tx
			.select({
				e164: customerPhones.e164,
				customerId: customerPhones.customerId,
				createdAt: customers.createdAt
			})
			.from(customerPhones)
			.innerJoin(customers, eq(customers.id, customerPhones.customerId))
			.where(inArray(customerPhones.e164, part))
			.orderBy(customers.createdAt);
		for (const r of rows) if (!found.has(r.e164)) found.set(r.e164, r.customerId);
	}
	return found;
}

/** New lead records for the numbers nobody has. */
async function createCustomers(tx: Tx, leads: ParsedLead[], ownerId: string): Promise<Map<string, string>> {
	const created = new Map<string, string>();
	for (const part of chunks(leads, BATCH)) {
		const rows = await tx
			.insert(customers)
			.values(
				part.map((l) => ({
					kind: 'lead' as const,
					status: 'new' as const,
					source: 'import' as const,
					firstName: l.firstName,
					lastName: l.lastName,
					company: l.company,
					ownerId
				}))
			)
			.returning({ id: customers.id });
		await tx.insert(customerPhones).values(
			part.map((l, i) => ({
				customerId: rows[i]!.id,
				e164: l.phone,
				label: 'mobile' as const,
				isPrimary: true
			}))
		);
		part.forEach((l, i) => created.set(l.phone, rows[i]!.id));
	}
	return created;
}

export async function importLeads(db: Db, input: { campaignId: string; bytes: Uint8Array; actorId: string; rules: RuleSet }): Promise<LeadImportReport> {
	const parsed = parseLeads(input.bytes, input.rules);
	const report: LeadImportReport = {
		rows: parsed.rows,
		imported: 0,
		matchedCustomers: 0,
		alreadyInCampaign: 0,
		errorCount: parsed.errors.length,
		errors: parsed.errors.slice(0, MAX_LISTED_ROW_ERRORS)
	};
	if (parsed.leads.length === 0) return report;
	await db.transaction(async (tx) => {
		const [campaign] = await tx.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, input.campaignId)).for('update');
		if (!campaign) throw new AppError('NOT_FOUND', 'CAMPAIGN_NOT_FOUND', 'This campaign no longer exists.');
		const phones = parsed.leads.map((l) => l.phone);
		const inCampaign = new Set<string>();
		for (const part of chunks(phones, BATCH)) {
			const rows = await tx
				.select({ phone: campaignLeads.phone })
				.from(campaignLeads)
				.where(and(eq(campaignLeads.campaignId, input.campaignId), inArray(campaignLeads.phone, part)));
			for (const r of rows) inCampaign.add(r.phone);
		}
		const fresh = parsed.leads.filter((l) => !inCampaign.has(l.phone));
		report.alreadyInCampaign = parsed.leads.length - fresh.length;
		const owners = await existingCustomers(
			tx,
			fresh.map((l) => l.phone)
		);
		report.matchedCustomers = fresh.filter((l) => owners.has(l.phone)).length;
		const created = await createCustomers(
			tx,
			fresh.filter((l) => !owners.has(l.phone)),
			input.actorId
		);
		// A later file's leads are dialled after the earlier ones, in their own file order.
		const [last] = await tx
			.select({ position: max(campaignLeads.position) })
			.from(campaignLeads)
			.where(eq(campaignLeads.campaignId, input.campaignId));
		const after = last?.position ?? 0;
		for (const part of chunks(fresh, BATCH)) {
			await tx.insert(campaignLeads).values(
				part.map((l) => ({
					campaignId: input.campaignId,
					customerId: owners.get(l.phone) ?? created.get(l.phone)!,
					phone: l.phone,
					timeZones: l.timeZones,
					position: after + l.line
				}))
			);
		}
		report.imported = fresh.length;
	});
	return report;
}
