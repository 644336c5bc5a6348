/**
 * How far a text has got, for the three places that merge status updates which can arrive out
 * of order (hot state, the archive, the inbox page): a status only replaces one of a lower rank.
 * The final states share the top rank, so the first final status wins. Shared by convex/ and src/.
 */
export const SMS_STATUS_RANK = {
	waiting: -1,
	queued: 0,
	sending: 1,
	sent: 2,
	delivered: 3,
	undelivered: 3,
	failed: 3,
	canceled: 3,
	received: 3
} as const satisfies Record<string, number>;

export type SmsStatusName = keyof typeof SMS_STATUS_RANK;
