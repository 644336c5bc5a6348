/** The caller's last interactions, as the softphone fetched them for this customer as the call rang. */
export interface RecentInteractions {
	customerId: string;
	items: { id: string; summary: string; occurredAt: string }[];
}
