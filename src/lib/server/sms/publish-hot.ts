/**
 * Copies archived messages into hot state (Convex sms_messages) after the archive commit, so
 * every inbox watching the thread sees them live. The archive never depends on this: a failed
 * publish is logged and the message is still safe; hydrating the thread again repairs it.
 */
import { api } from '$convex/_generated/api';
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { smsMessages, smsThreads } from '../db/schema/sms';
import type { HotState } from '../live/hot';
import { SYSTEM_IDENTITY } from '../live/identity';
import { logger } from '../log';
import { threadKeyOf, toMessageView, type SmsMessageView, type SmsThreadView } from './message-view';

const log = logger('sms');
/** As many as convex/smsMessages.ts keeps per thread. */
const RECENT = 10;

function toHot(m: SmsMessageView, thread: Pick<SmsThreadView, 'customerId'>) {
	return {
		archiveId: m.id,
		...(thread.customerId ? { customerId: thread.customerId } : {}),
		direction: m.direction,
		from: m.from,
		to: m.to,
		body: m.body,
		...(m.messageSid ? { messageSid: m.messageSid } : {}),
		state: m.status,
		...(m.authorId ? { agentId: m.authorId } : {}),
		sentAt: new Date(m.createdAt).getTime(),
		...(m.errorCode !== null ? { errorCode: m.errorCode } : {}),
		...(m.errorMessage !== null ? { errorMessage: m.errorMessage } : {}),
		...(m.mediaCount > 0 ? { mediaCount: m.mediaCount } : {})
	};
}

/** Publish one new or changed message of `thread`. Never throws. */
export async function publishMessage(hot: HotState, thread: SmsThreadView, message: SmsMessageView): Promise<void> {
	try {
		await hot.mutation(
			api.smsMessages.upsertRecent,
			{ threadKey: thread.threadKey, messages: [toHot(message, thread)] },
			SYSTEM_IDENTITY
		);
	} catch (error) {
		log.warn('sms: could not publish a message to hot state', {
			threadKey: thread.threadKey,
			messageId: message.id,
			error: String(error)
		});
	}
}

/** Load a thread's last 10 messages from the archive into hot state (the thread became active). */
export async function hydrateThread(db: Db, hot: HotState, threadId: string): Promise<number> {
	const [thread] = await db.select().from(smsThreads).where(eq(smsThreads.id, threadId));
	if (!thread) return 0;
	const rows = await db
		.select()
		.from(smsMessages)
		.where(eq(smsMessages.threadId, threadId))
		.orderBy(desc(smsMessages.createdAt), desc(smsMessages.id))
		.limit(RECENT);
	const messages = rows.reverse().map((r) => toHot(toMessageView(r), thread));
	return hot.mutation(
		api.smsMessages.upsertRecent,
		{ threadKey: threadKeyOf(thread.customerPhone, thread.ourPhone), messages },
		SYSTEM_IDENTITY
	);
}
