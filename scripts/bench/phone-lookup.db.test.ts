import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../../src/lib/server/db/schema/crm';
import { createTestDb, type TestDb } from '../../src/lib/server/db/test-db';
import { explainCustomerSearch, explainPhoneLookup } from '../../src/lib/server/crm/test-query-plans';
import { benchPhoneLookup } from './phone-lookup';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
});
afterAll(() => t.close());

describe('benchPhoneLookup', () => {
	it('generates what is missing and returns one latency per lookup', async () => {
		const latencies = await benchPhoneLookup(t.db, { customers: 5000, lookups: 200, warmup: 20 });
		expect(latencies).toHaveLength(200);
		for (const ms of latencies) expect(ms).toBeGreaterThan(0);
		const [c] = await t.db.select({ n: count() }).from(customers);
		expect(c?.n).toBe(5000);
		// A second run reuses the data.
		await benchPhoneLookup(t.db, { customers: 5000, lookups: 10, warmup: 0 });
		const [again] = await t.db.select({ n: count() }).from(customers);
		expect(again?.n).toBe(5000);
	});

	it('uses the indexes on a populated, analyzed archive without being forced', async () => {
		expect(await explainPhoneLookup(t.db)).toMatch(/Index (Only )?Scan using customer_phones_e164_idx/);
		expect(await explainCustomerSearch(t.db, { query: '415 55' })).toMatch(/customer_phones_e164_idx/);
		const name = await explainCustomerSearch(t.db, { query: 'kowal' });
		expect(name).toMatch(/customers_last_name_prefix_idx/);
		expect(name).not.toMatch(/Seq Scan on customers/);
	});
});
