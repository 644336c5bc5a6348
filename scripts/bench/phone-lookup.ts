/**
 * Measures the screen-pop path: lookupCustomerByPhone at scale, with numbers typed in the usual
 * formats so normalization is part of the cost. The bench runner prints the percentiles; the
 * EXPLAIN helpers that confirm the indexes are used live in crm/test-query-plans.ts.
 */
import { count, sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client';
import { customerPhones, customers } from '../../src/lib/server/db/schema/crm';
import { generateCustomers } from '../../src/lib/server/seed/generate-customers';
import { formatPhone } from '../../src/lib/server/crm/format-phone';
import { lookupCustomerByPhone } from '../../src/lib/server/crm/lookup-customer-by-phone';

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
