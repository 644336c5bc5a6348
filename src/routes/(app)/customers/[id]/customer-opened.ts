/**
 * The record page calls this in the browser whenever it shows a customer. It is the hook for the
 * live customer tabs (issue 2, item 8): opening the tab in user_contact_tabs belongs here, so the
 * tab follows the agent to their other devices. Until that is wired it does nothing.
 */
export function customerOpened(customer: { id: string; label: string }): void {
	void customer;
}
