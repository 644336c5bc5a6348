/**
 * The record page calls this in the browser whenever it shows a customer: it opens (or
 * refreshes) the customer's tab in user_contact_tabs, so the tab follows the agent to their
 * other devices. A failure is logged and shown by the tabs bar's own state, never blocking the
 * record itself.
 */
import { api } from '$convex/_generated/api';
import { mutate } from '$lib/live';

export function customerOpened(customer: { id: string; label: string }): void {
	mutate(api.contactTabs.open, { customerId: customer.id, label: customer.label }).catch((error: unknown) => {
		console.warn('could not open the customer tab', error);
	});
}
