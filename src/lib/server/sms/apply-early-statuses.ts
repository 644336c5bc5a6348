/**
 * Status callbacks that beat the sid home. The carrier may call back before its REST answer
 * reaches the dispatcher, so a callback for an unknown sid is kept (sms_early_statuses) and
 * answered 2xx (Twilio does not retry a 4xx, so refusing it would drop it); when the
 * dispatcher records the sid it applies what was kept, by the usual rank rules.
 *
 * Both sides take a transaction-scoped advisory lock on the sid first, so either the callback
 * sees the recorded sid or the dispatcher sees the kept status; neither can miss the other.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { smsEarlyStatuses, smsMessages } from '../db/schema/sms';
import { applyStatusCallback, type StatusCallback } from './apply-status-callback';

/** Serialise the status callback and the sid write-back for one sid (released at commit). */
export async function lockMessageSid(tx: Db | Tx, messageSid: string): Promise<void> {
	await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`sms.sid:${messageSid}`}))`);
}

/** Keep a callback whose sid is not recorded yet; a repeat of the same (sid, status) is kept once. */
export async function holdEarlyStatus(tx: Db | Tx, callback: StatusCallback): Promise<void> {
	const code = callback.ErrorCode;
	await tx
		.insert(smsEarlyStatuses)
		.values({
			messageSid: callback.MessageSid,
			messageStatus: callback.MessageStatus,
			errorCode: code === undefined || code === null || code === '' ? null : String(code)
		})
		.onConflictDoNothing();
}

/**
 * Write the carrier's sid on the message (status `queued`) and apply every status kept for it,
 * in one transaction; the rank rules make their order irrelevant.
 */
export async function recordMessageSid(db: Db, messageId: string, messageSid: string): Promise<void> {
	await db.transaction(async (tx) => {
		await lockMessageSid(tx, messageSid);
		await tx.update(smsMessages).set({ messageSid, status: 'queued', statusUpdatedAt: new Date() }).where(eq(smsMessages.id, messageId));
		const early = await tx.delete(smsEarlyStatuses).where(eq(smsEarlyStatuses.messageSid, messageSid)).returning();
		for (const status of early) {
			await applyStatusCallback(tx, { MessageSid: messageSid, MessageStatus: status.messageStatus, ErrorCode: status.errorCode });
		}
	});
}
