/**
 * A message status callback (signature already checked). Callbacks arrive out of order and
 * more than once, so a status only ever moves forward: queued < sending < sent < a final state
 * (delivered, undelivered, failed); a final state never changes. Error codes are explained in
 * words; a 21610 also lands in the consent ledger.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { SMS_STATUS_RANK } from '$lib/sms/status';
import { recordCarrierOptOut, UNSUBSCRIBED_RECIPIENT } from '../compliance/record-carrier-opt-out';
import type { Db } from '../db/client';
import { smsMessages, type SmsStatus } from '../db/schema/sms';
import { explainErrorCode } from './error-codes';
import { toMessageView, type SmsMessageView } from './message-view';

export interface StatusCallback {
	MessageSid: string;
	MessageStatus: string;
	ErrorCode?: string | number | null;
}

export interface StatusResult {
	/** False when no archived message has this sid (not ours, or not yet written back). */
	found: boolean;
	/** True when the status moved; false for stale, duplicate or unknown statuses. */
	changed: boolean;
	message: SmsMessageView | null;
}

const RANK: Record<SmsStatus, number> = SMS_STATUS_RANK;

/** Twilio's statuses in our vocabulary; the rest (read, receiving...) do not change an outbound text. */
function mapStatus(status: string): SmsStatus | null {
	switch (status) {
		case 'accepted':
		case 'scheduled':
		case 'queued':
			return 'queued';
		case 'sending':
		case 'sent':
		case 'delivered':
		case 'undelivered':
		case 'failed':
			return status;
		case 'read':
			return 'delivered';
		case 'canceled':
			return 'failed';
		default:
			return null;
	}
}

/** The statuses `next` may replace. */
const replaceable = (next: SmsStatus): SmsStatus[] => (Object.keys(RANK) as SmsStatus[]).filter((s) => RANK[s] < RANK[next]);

export async function applyStatusCallback(db: Db, callback: StatusCallback): Promise<StatusResult> {
	const next = mapStatus(callback.MessageStatus);
	const code =
		callback.ErrorCode === undefined || callback.ErrorCode === null || callback.ErrorCode === ''
			? null
			: Number(callback.ErrorCode);
	const errorCode = code !== null && Number.isInteger(code) ? code : null;
	const failed = next === 'failed' || next === 'undelivered';
	if (next) {
		const now = new Date();
		// One conditional update: concurrent callbacks cannot move a row backwards between a read and a write.
		const [updated] = await db
			.update(smsMessages)
			.set({
				status: next,
				statusUpdatedAt: now,
				...(next === 'sent' || next === 'delivered' || next === 'undelivered'
					? { sentAt: sql`coalesce(${smsMessages.sentAt}, ${now.toISOString()}::timestamptz)` }
					: {}),
				...(next === 'delivered' ? { deliveredAt: now } : {}),
				...(failed
					? { errorCode, errorMessage: explainErrorCode(errorCode) ?? 'The carrier could not deliver the message.' }
					: {})
			})
			.where(and(eq(smsMessages.messageSid, callback.MessageSid), inArray(smsMessages.status, replaceable(next))))
			.returning();
		if (updated) {
			if (errorCode === UNSUBSCRIBED_RECIPIENT) {
				await recordCarrierOptOut(db, {
					phone: updated.toPhone,
					messageSid: updated.messageSid,
					from: updated.fromPhone,
					userId: updated.authorId
				});
			}
			return { found: true, changed: true, message: toMessageView(updated) };
		}
	}
	const [row] = await db.select().from(smsMessages).where(eq(smsMessages.messageSid, callback.MessageSid));
	return { found: row !== undefined, changed: false, message: row ? toMessageView(row) : null };
}
