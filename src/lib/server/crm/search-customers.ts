/**
 * Find customers by name, company, email or phone-number prefix, case-insensitively, a page at
 * a time. Every branch is a left-anchored `LIKE 'prefix%'` on a text_pattern_ops btree index
 * (lower(first_name), lower(last_name), lower(company), lower(email), customer_phones.e164), so
 * the planner combines index scans instead of reading the table, on PGlite and PostgreSQL alike.
 * Phone results come in number order straight off the e164 index (`ORDER BY e164 USING ~<~`),
 * so even a one-digit prefix stops after one page.
 */
import { and, asc, desc, eq, inArray, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { customerPhones, customers, type CustomerKind } from '../db/schema/crm';
import { sortPhones, toPhoneView, toSummary, type CustomerSummary, type PhoneView } from './customer-view';
import { defaultCallingCodePrefix } from './normalize-phone';

export const SEARCH_PAGE_SIZE = 25;
export const MAX_SEARCH_PAGE_SIZE = 100;
export const MAX_SEARCH_OFFSET = 10_000;
export const MAX_SEARCH_QUERY_LENGTH = 100;

export interface SearchCustomersInput {
	/** Name, company, email or phone digits; empty lists the most recently updated records. */
	query?: string;
	kind?: CustomerKind;
	/** Default 25, at most 100. */
	limit?: number;
	offset?: number;
}

export interface CustomerSearchItem extends CustomerSummary {
	primaryPhone: PhoneView | null;
	/** In a phone search, the number that matched the prefix. */
	matchedPhone: PhoneView | null;
}

export interface CustomerSearchPage {
	items: CustomerSearchItem[];
	/** Offset of the next page, or null on the last page. */
	nextOffset: number | null;
	/** How the query was read: `recent` (no query), `name` or `phone`. */
	mode: 'recent' | 'name' | 'phone';
}

const PHONE_LIKE = /^[+\d\s().\-/]+$/;

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);
const startsWith = (column: AnyPgColumn, prefix: string) => sql`lower(${column}) like ${`${escapeLike(prefix)}%`}`;

/**
 * The E.164 prefix a typed fragment stands for, or null without digits. With "+", "00" or "011"
 * it is international; otherwise it is a national number of the default country ("415 55" ->
 * "+141555"), where a leading "1" is NANP's trunk prefix ("1 415" -> "+1415"; no area code starts with 1).
 */
export function phonePrefix(query: string): string | null {
	const digits = query.replace(/\D/g, '');
	if (digits === '') return null;
	if (query.trim().startsWith('+')) return `+${digits}`;
	if (digits.startsWith('011')) return `+${digits.slice(3)}`;
	if (digits.startsWith('00')) return `+${digits.slice(2)}`;
	const home = defaultCallingCodePrefix();
	return digits.startsWith(home.slice(1)) ? `+${digits}` : `${home}${digits}`;
}

function nameCondition(query: string): SQL | undefined {
	const tokens = query
		.toLowerCase()
		.split(/[\s,]+/)
		.filter(Boolean)
		.slice(0, 6);
	const whole = tokens.join(' ');
	const branches: (SQL | undefined)[] = [
		startsWith(customers.lastName, whole),
		startsWith(customers.firstName, whole),
		startsWith(customers.company, whole)
	];
	if (whole.includes('@')) branches.push(startsWith(customers.email, whole));
	// "jane smith", "smith jane", "mary ann smith": split the words between first and last name.
	for (let k = 1; k < tokens.length; k++) {
		const head = tokens.slice(0, k).join(' ');
		const tail = tokens.slice(k).join(' ');
		branches.push(and(startsWith(customers.firstName, head), startsWith(customers.lastName, tail)));
		branches.push(and(startsWith(customers.lastName, head), startsWith(customers.firstName, tail)));
	}
	return or(...branches);
}

type CustomerRow = typeof customers.$inferSelect;
type SearchRow = { customer: CustomerRow; matchedPhoneId: string | null };

interface SearchPlan {
	mode: CustomerSearchPage['mode'];
	limit: number;
	offset: number;
	/** The rows query (one row more than the page, to tell whether another page exists); null when nothing can match. */
	query: (SQLWrapper & PromiseLike<SearchRow[]>) | null;
}

/** Read the input and build the query; exported so the bench and tests can EXPLAIN it. */
export function planCustomerSearch(db: Db, input: SearchCustomersInput = {}): SearchPlan {
	const text = (input.query ?? '').trim().slice(0, MAX_SEARCH_QUERY_LENGTH);
	const limit = Math.min(Math.max(Math.trunc(input.limit ?? SEARCH_PAGE_SIZE), 1), MAX_SEARCH_PAGE_SIZE);
	const offset = Math.min(Math.max(Math.trunc(input.offset ?? 0), 0), MAX_SEARCH_OFFSET);
	const kind = input.kind ? eq(customers.kind, input.kind) : undefined;
	const prefix = PHONE_LIKE.test(text) ? phonePrefix(text) : null;

	if (prefix) {
		// One row per matching number, in number order, read in index order.
		const query = db
			.select({ customer: customers, matchedPhoneId: customerPhones.id })
			.from(customerPhones)
			.innerJoin(customers, eq(customers.id, customerPhones.customerId))
			.where(and(sql`${customerPhones.e164} like ${`${escapeLike(prefix)}%`}`, kind))
			.orderBy(sql`${customerPhones.e164} using ~<~`, asc(customerPhones.id))
			.limit(limit + 1)
			.offset(offset);
		return { mode: 'phone', limit, offset, query };
	}
	if (text === '') {
		const query = db
			.select({ customer: customers, matchedPhoneId: sql<string | null>`null` })
			.from(customers)
			.where(kind)
			.orderBy(desc(customers.updatedAt), desc(customers.id))
			.limit(limit + 1)
			.offset(offset);
		return { mode: 'recent', limit, offset, query };
	}
	// A query of only punctuation ("%", "()") finds nothing rather than everything.
	if (!/[\p{L}\p{N}]/u.test(text)) return { mode: 'name', limit, offset, query: null };
	const query = db
		.select({ customer: customers, matchedPhoneId: sql<string | null>`null` })
		.from(customers)
		.where(and(nameCondition(text), kind))
		.orderBy(
			asc(sql`lower(${customers.lastName})`),
			asc(sql`lower(${customers.firstName})`),
			asc(sql`lower(${customers.company})`),
			asc(customers.id)
		)
		.limit(limit + 1)
		.offset(offset);
	return { mode: 'name', limit, offset, query };
}

export async function searchCustomers(db: Db, input: SearchCustomersInput = {}): Promise<CustomerSearchPage> {
	const { mode, limit, offset, query } = planCustomerSearch(db, input);
	const rows = query ? await query : [];
	// A customer with two numbers under the same prefix is listed once per page.
	const seen = new Set<string>();
	const page = rows.slice(0, limit).filter((r) => !seen.has(r.customer.id) && seen.add(r.customer.id));

	const ids = page.map((r) => r.customer.id);
	const phones = ids.length ? await db.select().from(customerPhones).where(inArray(customerPhones.customerId, ids)) : [];
	const byCustomer = new Map<string, typeof phones>();
	for (const p of sortPhones(phones)) byCustomer.set(p.customerId, [...(byCustomer.get(p.customerId) ?? []), p]);
	const items = page.map(({ customer, matchedPhoneId }): CustomerSearchItem => {
		const own = byCustomer.get(customer.id) ?? [];
		const primary = own.find((p) => p.isPrimary) ?? own[0];
		const matched = matchedPhoneId ? own.find((p) => p.id === matchedPhoneId) : undefined;
		return {
			...toSummary(customer),
			primaryPhone: primary ? toPhoneView(primary) : null,
			matchedPhone: matched ? toPhoneView(matched) : null
		};
	});
	return { items, nextOffset: rows.length > limit && offset + limit <= MAX_SEARCH_OFFSET ? offset + limit : null, mode };
}
