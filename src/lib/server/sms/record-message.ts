/**
 * The archive writes every SMS path shares: find or open the thread for a number pair (linking
 * the customer who owns the number), append a message and move the thread to the top of the
 * inbox, and note the text on the customer's timeline. Always called inside a transaction.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { activities, customerPhones, customers } from '../db/schema/crm';
import { smsMessages, smsThreads, type SmsDirection, type SmsMedia, type SmsStatus } from '../db/schema/sms';

const PREVIEW = 140;

export async function findOrCreateThread(
	tx: Tx,
	customerPhone: string,
	ourPhone: string
): Promise<typeof smsThreads.$inferSelect> {
	const [existing] = await tx
		.select()
		.from(smsThreads)
		.where(and(eq(smsThreads.customerPhone, customerPhone), eq(smsThreads.ourPhone, ourPhone)));
	if (existing) return existing;
	// Customers win over leads, then the most recently updated record, as the screen pop does.
	const [owner] = await tx
		.select({ id: customers.id })
		.from(customerPhones)
		.innerJoin(customers, eq(customers.id, customerPhones.customerId))
		.where(eq(customerPhones.e164, customerPhone))
		.orderBy(sql`${customers.kind} = 'customer' desc`, desc(customers.updatedAt))
		.limit(1);
	// Two first messages racing for a new pair: the loser reads the winner's row.
	await tx
		.insert(smsThreads)
		.values({ customerPhone, ourPhone, customerId: owner?.id ?? null })
		.onConflictDoNothing({ target: [smsThreads.customerPhone, smsThreads.ourPhone] });
	const [row] = await tx
		.select()
		.from(smsThreads)
		.where(and(eq(smsThreads.customerPhone, customerPhone), eq(smsThreads.ourPhone, ourPhone)));
	if (!row) throw new Error('sms thread vanished after insert');
	return row;
}

export interface NewMessage {
	thread: typeof smsThreads.$inferSelect;
	messageSid: string | null;
	direction: SmsDirection;
	body: string;
	status: SmsStatus;
	media?: SmsMedia[];
	numSegments?: number;
	authorId?: string | null;
	attemptId?: string | null;
	/** Outbound: the place in the sending number's queue. */
	queueSeq?: number | null;
	at?: Date;
}

/** Insert the message; returns null when a message with the same sid is already archived. */
export async function appendMessage(tx: Tx, m: NewMessage): Promise<typeof smsMessages.$inferSelect | null> {
	const at = m.at ?? new Date();
	const inbound = m.direction === 'inbound';
	const [row] = await tx
		.insert(smsMessages)
		.values({
			threadId: m.thread.id,
			messageSid: m.messageSid,
			direction: m.direction,
			fromPhone: inbound ? m.thread.customerPhone : m.thread.ourPhone,
			toPhone: inbound ? m.thread.ourPhone : m.thread.customerPhone,
			body: m.body,
			status: m.status,
			media: m.media ?? [],
			numSegments: m.numSegments ?? 1,
			authorId: m.authorId ?? null,
			attemptId: m.attemptId ?? null,
			queueSeq: m.queueSeq ?? null,
			createdAt: at,
			statusUpdatedAt: at
		})
		.onConflictDoNothing({ target: smsMessages.messageSid })
		.returning();
	if (!row) return null;
	await tx
		.update(smsThreads)
		.set({
			lastMessageAt: sql`greatest(${smsThreads.lastMessageAt}, ${at.toISOString()}::timestamptz)`,
			lastMessagePreview: m.body.slice(0, PREVIEW) || (m.media?.length ? '[media]' : ''),
			lastDirection: m.direction
		})
		.where(eq(smsThreads.id, m.thread.id));
	if (m.thread.customerId) {
		await tx.insert(activities).values({
			customerId: m.thread.customerId,
			kind: 'sms',
			occurredAt: at,
			actorId: m.authorId ?? null,
			summary: `${inbound ? 'Text received' : 'Text sent'}: ${m.body.slice(0, PREVIEW)}`,
			data: { messageId: row.id, threadId: m.thread.id, messageSid: m.messageSid, direction: m.direction }
		});
	}
	return row;
}
