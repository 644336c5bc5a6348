/**
 * Measures the screen-pop path: lookupCustomerByPhone at scale, with numbers typed in the usual
 * formats so normalization is part of the cost. The bench runner prints the percentiles; this
 * module also exposes EXPLAIN helpers so tests and the runner can confirm the indexes are used.
 */
import { count, sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customerPhones, customers } from '../db/schema/crm';
import { generateCustomers } from '../seed/generate-customers';
import { formatPhone } from './format-phone';
import { lookupCustomerByPhone, phoneLookupQuery } from './lookup-customer-by-phone';
import { planCustomerSearch, type SearchCustomersInput } from './search-customers';

export interface BenchPhoneLookupOptions {
	/** Customers the archive should hold; missing ones are generated. Default 100,000. */
	customers?: number;
	/** Timed lookups. Default 2000. */
	lookups?: number;
	/** Untimed lookups first, to warm caches and plans. Default 100. */
	warmup?: number;
	seed?: number;
}

/** Each number is looked up as a person or a carrier would write it. */
const FORMATS: ((e164: string) => string)[] = [
	(e164) => e164,
	(e164) => formatPhone(e164),
	(e164) => (e164.startsWith('+1') ? `${e164.slice(2, 5)}.${e164.slice(5, 8)}.${e164.slice(8)}` : e164),
	(e164) => `+${e164.slice(1, 2)} ${e164.slice(2)}`
];

/** Latency of each lookup in milliseconds, in the order they ran (every lookup is a hit). */
export async function benchPhoneLookup(db: Db, options: BenchPhoneLookupOptions = {}): Promise<number[]> {
	const wanted = options.customers ?? 100_000;
	const lookups = options.lookups ?? 2000;
	const warmup = options.warmup ?? 100;
	const [present] = await db.select({ n: count() }).from(customers);
	const have = present?.n ?? 0;
	if (have < wanted) await generateCustomers(db, wanted - have, { seed: options.seed ?? 42, startIndex: have });

	const sample = await db
		.select({ e164: customerPhones.e164 })
		.from(customerPhones)
		.orderBy(sql`random()`)
		.limit(Math.max(lookups, warmup));
	if (sample.length === 0) throw new Error('benchPhoneLookup: the archive has no phone numbers to look up');
	const inputs = Array.from({ length: lookups + warmup }, (_, i) => {
		const { e164 } = sample[i % sample.length] as { e164: string };
		return (FORMATS[i % FORMATS.length] as (e: string) => string)(e164);
	});

	const latencies: number[] = [];
	for (const [i, phone] of inputs.entries()) {
		const started = performance.now();
		const found = await lookupCustomerByPhone(db, { phone });
		const elapsed = performance.now() - started;
		if (!found) throw new Error(`benchPhoneLookup: ${phone} was not found`);
		if (i >= warmup) latencies.push(elapsed);
	}
	return latencies;
}

/** EXPLAIN output (one line per row) for any drizzle query, on either driver. */
export async function explain(db: Db, query: SQLWrapper): Promise<string> {
	const result: unknown = await db.execute(sql`explain ${query}`);
	const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, string>[];
	return rows.map((r) => r['QUERY PLAN'] ?? Object.values(r)[0]).join('\n');
}

/** The plan of the phone lookup for a normalized number. */
export function explainPhoneLookup(db: Db, e164 = '+14155550100'): Promise<string> {
	return explain(db, phoneLookupQuery(db, e164));
}

/** The plan of the customers query behind a search. */
export function explainCustomerSearch(db: Db, input: SearchCustomersInput): Promise<string> {
	const { query } = planCustomerSearch(db, input);
	if (!query) return Promise.resolve('(no query: nothing can match)');
	return explain(db, query);
}
