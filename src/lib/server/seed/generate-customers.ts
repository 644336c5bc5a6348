/**
 * Bulk, deterministic customer generation for demo data and benchmarks: the same seed and
 * index always give the same person, company and numbers. Rows go in as multi-row inserts of
 * 1000 inside one transaction, then the tables are analyzed so the planner sees real sizes.
 */
import { randomUUID } from 'node:crypto';
import { count, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customerPhones, customers, type LeadStatus, type PhoneLabel } from '../db/schema/crm';
import { AREA_CODES, COMPANY_HEADS, COMPANY_SUFFIXES, COMPANY_TAILS, FIRST_NAMES, LAST_NAMES, NOTES } from './demo-names';

export const GENERATE_BATCH_SIZE = 1000;
/** Generated dates fall in the two years before this instant, so a seed always gives the same rows. */
const EPOCH = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

export interface GenerateCustomersOptions {
	/** PRNG seed; default 1. */
	seed?: number;
	/**
	 * Index of the first generated customer. Phone numbers are a function of the index, so
	 * numbers stay unique across calls as long as index ranges do not overlap. Default: the
	 * number of customers already in the archive.
	 */
	startIndex?: number;
	/** Staff ids to spread ownership over (about half the records get an owner). */
	ownerIds?: string[];
}

export interface GenerateCustomersResult {
	customers: number;
	phones: number;
	startIndex: number;
}

/** mulberry32: small, fast, good enough for fake data. */
function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const mix = (seed: number, index: number) => Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;

const AREA_COUNT = AREA_CODES.length;
/** Slots served from the fictional 555-0100..0199 block before moving on to the rest of 555. */
const FICTION_SLOTS = AREA_COUNT * 100;
const TOTAL_SLOTS = FICTION_SLOTS + AREA_COUNT * 9800;

/**
 * The US number in phone slot `slot`: distinct for every slot below about a million, starting
 * with the 555-01xx numbers reserved for fiction so small data sets use only those.
 */
export function demoUsNumber(slot: number): string {
	const s = slot % TOTAL_SLOTS;
	const area = AREA_CODES[s % AREA_COUNT] as number;
	const line = s < FICTION_SLOTS ? 100 + Math.floor(s / AREA_COUNT) : 200 + Math.floor((s - FICTION_SLOTS) / AREA_COUNT);
	return `+1${area}555${String(line).padStart(4, '0')}`;
}

/** Ofcom's drama ranges for London, Leeds and Manchester (020 7946 0xxx, 0113/0161 496 0xxx): 3000 fictional UK numbers. */
const UK_BLOCKS = ['+44207946', '+44113496', '+44161496'];
export function demoUkNumber(n: number): string {
	const k = n % (UK_BLOCKS.length * 1000);
	return `${UK_BLOCKS[Math.floor(k / 1000)] as string}0${String(k % 1000).padStart(3, '0')}`;
}

const LEAD_STATUS_WEIGHTS: [LeadStatus, number][] = [
	['new', 0.4],
	['contacted', 0.3],
	['qualified', 0.15],
	['unqualified', 0.1],
	['converted', 0.05]
];

function leadStatus(r: number): LeadStatus {
	let acc = 0;
	for (const [status, weight] of LEAD_STATUS_WEIGHTS) {
		acc += weight;
		if (r < acc) return status;
	}
	return 'new';
}

const slug = (s: string) =>
	s
		.toLowerCase()
		.normalize('NFKD')
		.replace(/[^a-z0-9]+/g, '');

type CustomerRow = typeof customers.$inferInsert;
type PhoneRow = typeof customerPhones.$inferInsert;

/** The customer at `index` for `seed`, with its phone rows. Pure. */
export function demoCustomer(
	seed: number,
	index: number,
	ownerIds: readonly string[] = []
): { customer: CustomerRow; phones: PhoneRow[] } {
	const rand = prng(mix(seed, index));
	const id = randomUUID();
	const firstName = pick(rand, FIRST_NAMES);
	const lastName = pick(rand, LAST_NAMES);
	const hasCompany = rand() < 0.6;
	const company = hasCompany
		? rand() < 0.25
			? `${lastName} ${pick(rand, COMPANY_TAILS)}${pick(rand, COMPANY_SUFFIXES)}`
			: `${pick(rand, COMPANY_HEADS)} ${pick(rand, COMPANY_TAILS)}${pick(rand, COMPANY_SUFFIXES)}`
		: '';
	const isLead = rand() < 0.3;
	const domain = hasCompany
		? `${slug(company.replace(/ (Inc\.|LLC|Co\.|Group|& Sons)$/, ''))}.example`
		: pick(rand, ['example.com', 'example.net', 'example.org']);
	const email = rand() < 0.8 ? `${slug(firstName)}.${slug(lastName)}@${domain}` : null;
	const createdAt = new Date(EPOCH - Math.floor(rand() * 730 * DAY));
	const updatedAt = new Date(Math.min(EPOCH, createdAt.getTime() + Math.floor(rand() * 120 * DAY)));
	const owned = ownerIds.length > 0 && rand() < 0.5;
	const customer: CustomerRow = {
		id,
		kind: isLead ? 'lead' : 'customer',
		status: isLead ? leadStatus(rand()) : null,
		source: 'demo',
		firstName,
		lastName,
		company,
		email,
		notes: rand() < 0.3 ? pick(rand, NOTES) : '',
		ownerId: owned ? pick(rand, ownerIds) : null,
		createdAt,
		updatedAt
	};

	const phoneCount = 1 + (rand() < 0.35 ? 1 : 0) + (rand() < 0.1 ? 1 : 0);
	const firstLabel: PhoneLabel = hasCompany && rand() < 0.3 ? 'work' : rand() < 0.85 ? 'mobile' : 'home';
	const labels: PhoneLabel[] = [firstLabel, firstLabel === 'work' ? 'mobile' : 'work', 'other'];
	// Every 25th customer (up to 3000 of them) has a UK number, so international formats show up.
	const ukAt = index % 25 === 7 && index < 75_000 && phoneCount > 1 ? 1 : -1;
	const phones: PhoneRow[] = [];
	for (let k = 0; k < phoneCount; k++) {
		phones.push({
			customerId: id,
			e164: k === ukAt ? demoUkNumber(Math.floor(index / 25)) : demoUsNumber(index * 3 + k),
			label: labels[k] ?? 'other',
			isPrimary: k === 0,
			position: k,
			createdAt
		});
	}
	return { customer, phones };
}

/** Insert `count` generated customers (with 1 to 3 numbers each) in batches of 1000, in one transaction. */
export async function generateCustomers(
	db: Db,
	total: number,
	options: GenerateCustomersOptions = {}
): Promise<GenerateCustomersResult> {
	const seed = options.seed ?? 1;
	const startIndex = options.startIndex ?? (await db.select({ n: count() }).from(customers))[0]?.n ?? 0;
	let phoneTotal = 0;
	await db.transaction(async (tx) => {
		for (let from = 0; from < total; from += GENERATE_BATCH_SIZE) {
			const size = Math.min(GENERATE_BATCH_SIZE, total - from);
			const rows = Array.from({ length: size }, (_, i) => demoCustomer(seed, startIndex + from + i, options.ownerIds));
			const phones = rows.flatMap((r) => r.phones);
			await tx.insert(customers).values(rows.map((r) => r.customer));
			for (let p = 0; p < phones.length; p += GENERATE_BATCH_SIZE) {
				await tx.insert(customerPhones).values(phones.slice(p, p + GENERATE_BATCH_SIZE));
			}
			phoneTotal += phones.length;
		}
	});
	await db.execute(sql`analyze ${customers}, ${customerPhones}`);
	return { customers: total, phones: phoneTotal, startIndex };
}
