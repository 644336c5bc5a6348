/** The plain shapes SMS functions return: ids and ISO timestamps, ready for tRPC and the hot copy. */
import type { smsMessages, smsThreads, SmsDirection, SmsStatus } from '../db/schema/sms';

export interface SmsMessageView {
	id: string;
	threadId: string;
	messageSid: string | null;
	direction: SmsDirection;
	from: string;
	to: string;
	body: string;
	status: SmsStatus;
	errorCode: number | null;
	errorMessage: string | null;
	/** How many MMS media files came with it; the files themselves come from `sms.attachments` (never the carrier's URLs). */
	mediaCount: number;
	authorId: string | null;
	createdAt: string;
	statusUpdatedAt: string;
}

export interface SmsThreadView {
	id: string;
	/** `customerPhone|ourPhone`, the hot-state key of the thread (locks, recent messages). */
	threadKey: string;
	customerPhone: string;
	ourPhone: string;
	customerId: string | null;
	assignedTo: string | null;
	lastMessageAt: string;
	lastMessagePreview: string;
	lastDirection: SmsDirection | null;
}

export const threadKeyOf = (customerPhone: string, ourPhone: string) => `${customerPhone}|${ourPhone}`;

export function toMessageView(row: typeof smsMessages.$inferSelect): SmsMessageView {
	return {
		id: row.id,
		threadId: row.threadId,
		messageSid: row.messageSid,
		direction: row.direction,
		from: row.fromPhone,
		to: row.toPhone,
		body: row.body,
		status: row.status,
		errorCode: row.errorCode,
		errorMessage: row.errorMessage,
		mediaCount: row.media.length,
		authorId: row.authorId,
		createdAt: row.createdAt.toISOString(),
		statusUpdatedAt: row.statusUpdatedAt.toISOString()
	};
}

export function toThreadView(row: typeof smsThreads.$inferSelect): SmsThreadView {
	return {
		id: row.id,
		threadKey: threadKeyOf(row.customerPhone, row.ourPhone),
		customerPhone: row.customerPhone,
		ourPhone: row.ourPhone,
		customerId: row.customerId,
		assignedTo: row.assignedTo,
		lastMessageAt: row.lastMessageAt.toISOString(),
		lastMessagePreview: row.lastMessagePreview,
		lastDirection: row.lastDirection
	};
}
