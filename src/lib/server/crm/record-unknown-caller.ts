/**
 * The record an inbound call or text from `phone` belongs to: the existing customer, or a new
 * lead (source `unknown-caller`) holding just that number, so the timeline has somewhere to go.
 * Runs inside the caller's transaction (the one that records the call), so the lead exists only
 * if the call does.
 */
import type { Tx } from '../db/client';
import { insertCustomerSummary } from './create-customer';
import type { CustomerSummary } from './customer-view';
import { lookupCustomerByPhone } from './lookup-customer-by-phone';

export interface CallerRecord {
	customer: CustomerSummary;
	/** True when this call made the lead. */
	created: boolean;
}

export async function recordUnknownCaller(tx: Tx, input: { phone: string }): Promise<CallerRecord> {
	const found = await lookupCustomerByPhone(tx, input);
	if (found) return { customer: found.customer, created: false };
	const customer = await insertCustomerSummary(tx, {
		kind: 'lead',
		status: 'new',
		source: 'unknown-caller',
		phones: [{ number: input.phone, label: 'other', isPrimary: true }]
	});
	return { customer, created: true };
}
