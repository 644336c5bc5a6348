/**
 * Who is this number? Normalizes any common format to E.164 and matches it exactly through the
 * customer_phones e164 index. Used by the screen pop for inbound calls and texts.
 */
import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customerPhones, customers } from '../db/schema/crm';
import { toPhoneView, toSummary, type CustomerSummary, type PhoneView } from './customer-view';
import { normalizePhone } from './normalize-phone';

export interface LookupCustomerByPhoneInput {
	/** Any common format: `(415) 555-0100`, `+1 415 555 0100`, `00 44 20 7946 0958`... */
	phone: string;
}

export interface PhoneLookupResult {
	customer: CustomerSummary;
	/** The customer's number that matched. */
	phone: PhoneView;
	/** How many records carry this number (shared lines); the best is returned. */
	matchCount: number;
}

/** At most this many sharing records are read; the count is exact up to here. */
const MAX_MATCHES = 20;

/**
 * The record that owns `phone`, or null. When several share it, customers win over leads and
 * then the most recently updated wins. Throws BAD_REQUEST INVALID_PHONE for malformed input.
 */
export async function lookupCustomerByPhone(db: Db, input: LookupCustomerByPhoneInput): Promise<PhoneLookupResult | null> {
	const { e164 } = normalizePhone(input.phone);
	const rows = await phoneLookupQuery(db, e164);
	const best = rows[0];
	if (!best) return null;
	return { customer: toSummary(best.customer), phone: toPhoneView(best.phone), matchCount: rows.length };
}

/** The exact-match query for a normalized number; exported so the bench and tests can EXPLAIN it. */
export function phoneLookupQuery(db: Db, e164: string) {
	return db
		.select({ customer: customers, phone: customerPhones })
		.from(customerPhones)
		.innerJoin(customers, eq(customers.id, customerPhones.customerId))
		.where(eq(customerPhones.e164, e164))
		.orderBy(sql`${customers.kind} = 'customer' desc`, desc(customers.updatedAt), customers.id)
		.limit(MAX_MATCHES);
}
