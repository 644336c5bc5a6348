/**
 * EXPLAIN helpers: tests and `npm run bench` check with them that the phone lookup and the
 * customer search use their indexes. Not product code (the dependency rules keep it out).
 */
import { sql, type SQLWrapper } from 'drizzle-orm';
import type { Db } from '../db/client';
import { rowsOf } from '../db/rows';
import { phoneLookupQuery } from './lookup-customer-by-phone';
import { planCustomerSearch, type SearchCustomersInput } from './search-customers';

/** EXPLAIN output (one line per row) for any drizzle query, on either driver. */
export async function explain(db: Db, query: SQLWrapper): Promise<string> {
	const result: unknown = await db.execute(sql`explain ${query}`);
	const rows = rowsOf<Record<string, string>>(result);
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
