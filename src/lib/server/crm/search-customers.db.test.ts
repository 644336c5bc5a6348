import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client';
import { customers } from '../db/schema/crm';
import { createTestDb, type TestDb } from '../db/test-db';
import { explainCustomerSearch, explainPhoneLookup } from './test-query-plans';
import { createCustomer } from './create-customer';
import { phonePrefix, searchCustomers } from './search-customers';

let t: TestDb;
const ids: Record<string, string> = {};

beforeAll(async () => {
	t = await createTestDb();
	const people = [
		{
			key: 'ada',
			firstName: 'Ada',
			lastName: 'Lovelace',
			company: 'Analytical Engines',
			email: 'ada@example.com',
			phones: [{ number: '415 555 0130' }]
		},
		{
			key: 'alan',
			firstName: 'Alan',
			lastName: 'Turing',
			company: 'Bletchley Park',
			phones: [{ number: '+1 646 555 0131' }, { number: '+44 20 7946 0131' }]
		},
		{ key: 'grace', firstName: 'Grace', lastName: 'Hopper', phones: [{ number: '(212) 555-0132' }] },
		{ key: 'maryann', firstName: 'Mary Ann', lastName: 'Smith', phones: [{ number: '415 555 0133' }] },
		{ key: 'john', firstName: 'John', lastName: 'Smith', company: 'Acme Corp' },
		{ key: 'jane', firstName: 'Jane', lastName: 'Smithers', kind: 'lead' as const },
		{ key: 'obrien', firstName: 'Siobhan', lastName: "O'Brien" },
		{ key: 'organic', company: '100% Organic' },
		{ key: 'lakes', company: '1000 Lakes Supply' },
		{ key: 'twolines', firstName: 'Two', lastName: 'Lines', phones: [{ number: '917 555 0151' }, { number: '917 555 0150' }] },
		{ key: 'acmelead', firstName: 'Zed', lastName: 'Zimmer', company: 'ACME Rockets', kind: 'lead' as const }
	];
	for (const { key, ...input } of people) ids[key] = (await createCustomer(t.db, input)).id;
});
afterAll(() => t.close());

const keysOf = async (query: string, extra: Parameters<typeof searchCustomers>[1] = {}) => {
	const byId = Object.fromEntries(Object.entries(ids).map(([k, v]) => [v, k]));
	return (await searchCustomers(t.db, { query, ...extra })).items.map((c) => byId[c.id]);
};

describe('searchCustomers by name and company', () => {
	it('matches last-name prefixes case-insensitively, ordered by last then first name', async () => {
		expect(await keysOf('smi')).toEqual(['john', 'maryann', 'jane']);
		expect(await keysOf('SMITH')).toEqual(['john', 'maryann', 'jane']);
	});

	it('matches first names, companies and apostrophes', async () => {
		expect(await keysOf('grac')).toEqual(['grace']);
		expect(await keysOf('bletch')).toEqual(['alan']);
		expect(await keysOf('acme')).toEqual(['john', 'acmelead']);
		expect(await keysOf("o'br")).toEqual(['obrien']);
	});

	it('reads two words as first and last name, in either order, and multi-word first names', async () => {
		expect(await keysOf('john smith')).toEqual(['john']);
		expect(await keysOf('smith, john')).toEqual(['john']);
		expect(await keysOf('jo smi')).toEqual(['john']);
		expect(await keysOf('mary ann smith')).toEqual(['maryann']);
		expect(await keysOf('mary ann')).toEqual(['maryann']);
		expect(await keysOf('acme corp')).toEqual(['john']);
	});

	it('matches an email prefix when the query has an @', async () => {
		expect(await keysOf('ada@exa')).toEqual(['ada']);
	});

	it('treats % and _ literally', async () => {
		expect(await keysOf('100%')).toEqual(['organic']);
		expect(await keysOf('%')).toEqual([]);
		expect(await keysOf('_')).toEqual([]);
	});

	it('filters by kind', async () => {
		expect(await keysOf('smi', { kind: 'lead' })).toEqual(['jane']);
		expect(await keysOf('acme', { kind: 'customer' })).toEqual(['john']);
	});

	it('returns an empty page for no match', async () => {
		expect(await searchCustomers(t.db, { query: 'zzzz' })).toEqual({ items: [], nextOffset: null, mode: 'name' });
	});

	it('includes each result’s primary phone, formatted', async () => {
		const [ada] = (await searchCustomers(t.db, { query: 'lovelace' })).items;
		expect(ada).toMatchObject({ displayName: 'Ada Lovelace', company: 'Analytical Engines', kind: 'customer' });
		expect(ada?.primaryPhone).toMatchObject({ e164: '+14155550130', display: '(415) 555-0130', isPrimary: true });
		expect(ada?.matchedPhone).toBeNull();
	});
});

describe('searchCustomers by phone prefix', () => {
	it('reads national digits in the default country', () => {
		expect(phonePrefix('415 555')).toBe('+1415555');
		expect(phonePrefix('1 415')).toBe('+1415');
		expect(phonePrefix('+44 20')).toBe('+4420');
		expect(phonePrefix('0044 20')).toBe('+4420');
		expect(phonePrefix('011 44')).toBe('+44');
		expect(phonePrefix('()')).toBeNull();
	});

	it('finds customers whose number starts with what was typed, in any format', async () => {
		expect(await keysOf('415 555')).toEqual(['ada', 'maryann']);
		expect(await keysOf('(415) 555-013')).toEqual(['ada', 'maryann']);
		expect(await keysOf('415.555.0130')).toEqual(['ada']);
		expect(await keysOf('+1 415 555 0130')).toEqual(['ada']);
		expect(await keysOf('212')).toEqual(['grace']);
	});

	it('lists a customer once even when several of their numbers match, with the lowest one as the match', async () => {
		const page = await searchCustomers(t.db, { query: '917 555 015' });
		expect(page.items.map((c) => c.id)).toEqual([ids.twolines]);
		expect(page.items[0]?.matchedPhone?.e164).toBe('+19175550150');
		expect(page.items[0]?.primaryPhone?.e164).toBe('+19175550151');
	});

	it('orders phone results by number and pages them', async () => {
		const first = await searchCustomers(t.db, { query: '+1', limit: 2 });
		expect(first.items.map((c) => c.matchedPhone?.e164)).toEqual(['+12125550132', '+14155550130']);
		expect(first.nextOffset).toBe(2);
		const second = await searchCustomers(t.db, { query: '+1', limit: 2, offset: 2 });
		expect(second.items.map((c) => c.matchedPhone?.e164)).toEqual(['+14155550133', '+16465550131']);
	});

	it('finds international numbers and reports the one that matched', async () => {
		const page = await searchCustomers(t.db, { query: '+44 20 7946' });
		expect(page.mode).toBe('phone');
		expect(page.items.map((c) => c.id)).toEqual([ids.alan]);
		expect(page.items[0]?.matchedPhone).toMatchObject({ e164: '+442079460131', display: '+44 20 7946 0131' });
		expect(page.items[0]?.primaryPhone?.e164).toBe('+16465550131');
	});
});

describe('searchCustomers paging and listing', () => {
	it('pages with an offset', async () => {
		const first = await searchCustomers(t.db, { query: 'smi', limit: 2 });
		expect(first.items).toHaveLength(2);
		expect(first.nextOffset).toBe(2);
		const second = await searchCustomers(t.db, { query: 'smi', limit: 2, offset: first.nextOffset! });
		expect(second.items.map((c) => c.id)).toEqual([ids.jane]);
		expect(second.nextOffset).toBeNull();
	});

	it('lists the most recently updated records for an empty query', async () => {
		await t.db
			.update(customers)
			.set({ updatedAt: new Date(Date.now() + 3_600_000) })
			.where(eq(customers.id, ids.grace!));
		const page = await searchCustomers(t.db, { query: '  ', limit: 3 });
		expect(page.mode).toBe('recent');
		expect(page.items[0]?.id).toBe(ids.grace);
		expect(page.nextOffset).toBe(3);
	});
});

/** Plans with sequential scans priced out: shows which index the planner can use, even on a tiny table. */
function planWithoutSeqScan(plan: (db: Db) => Promise<string>): Promise<string> {
	return t.db.transaction(async (tx) => {
		await tx.execute(sql`set local enable_seqscan = off`);
		return plan(tx);
	});
}

describe('index use (both drivers)', () => {
	it('looks numbers up through the e164 index', async () => {
		expect(await planWithoutSeqScan((db) => explainPhoneLookup(db, '+14155550130'))).toMatch(/customer_phones_e164_idx/);
	});

	it('searches phone prefixes through the e164 index', async () => {
		expect(await planWithoutSeqScan((db) => explainCustomerSearch(db, { query: '415 555' }))).toMatch(/customer_phones_e164_idx/);
	});

	it('searches names through the lower(...) text_pattern_ops indexes', async () => {
		const plan = await planWithoutSeqScan((db) => explainCustomerSearch(db, { query: 'smi' }));
		expect(plan).toMatch(/customers_last_name_prefix_idx/);
		expect(plan).toMatch(/customers_first_name_prefix_idx/);
		expect(plan).toMatch(/customers_company_prefix_idx/);
		const twoWords = await planWithoutSeqScan((db) => explainCustomerSearch(db, { query: 'john smith' }));
		expect(twoWords).toMatch(/customers_last_name_prefix_idx/);
		expect(twoWords).not.toMatch(/Seq Scan/);
	});
});
