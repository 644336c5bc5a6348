/**
 * The record an inbound call or text from `phone` belongs to: the existing customer, or a new
 * lead (source `unknown-caller`) holding just that number, so the timeline has somewhere to go.
 */
import type { Db } from '../db/client';
import { createCustomerSummary } from './create-customer';
import type { CustomerSummary } from './customer-view';
import { lookupCustomerByPhone } from './lookup-customer-by-phone';

export interface CallerRecord {
	customer: CustomerSummary;
	/** True when this call made the lead. */
	created: boolean;
}

export async function recordUnknownCaller(db: Db, input: { phone: string }): Promise<CallerRecord> {
	const found = await lookupCustomerByPhone(db, input);
	if (found) return { customer: found.customer, created: false };
	const customer = await createCustomerSummary(db, {
		kind: 'lead',
		status: 'new',
		source: 'unknown-caller',
		phones: [{ number: input.phone, label: 'other', isPrimary: true }]
	});
	return { customer, created: true };
}
