/**
 * The send path the tRPC procedure calls: the thread lock is checked on the SERVER (hot state's
 * `assertHolder` refuses with LOCK_HELD_BY while another agent holds the thread, and claims a
 * free one for the sender), then sendSms records it (waiting for its number's send slot), then
 * the lock is released and the message published live; the send-sms job takes it from there.
 * A refusal from either the lock or the gate leaves nothing half written. A thread assigned to
 * someone else is theirs to answer: only managers, supervisors and admins send into it (the same
 * people who may move it, sms/inbox.ts mayAssign); an agent asks for it to be reassigned.
 */
import { api } from '$convex/_generated/api';
import { eq } from 'drizzle-orm';
import { roleAllows, type Role } from '$lib/roles';
import type { BroadcastPort } from '../adapters/broadcast';
import type { Db } from '../db/client';
import { smsThreads } from '../db/schema/sms';
import { AppError, notFound } from '../errors';
import type { HotState } from '../live/hot';
import { SYSTEM_IDENTITY } from '../live/identity';
import { logger } from '../log';
import { threadKeyOf } from './message-view';
import { announceInboxChange } from './inbox-events';
import { publishMessage } from './publish-hot';
import { sendSms, validateSmsBody, type SendSmsDeps, type SendSmsResult } from './send-sms';

const log = logger('sms');

export async function sendInThread(
	db: Db,
	deps: SendSmsDeps & { hot: HotState; broadcast: BroadcastPort },
	input: { threadId: string; body: string; actor: { id: string; name: string; role: Role } }
): Promise<SendSmsResult> {
	const [thread] = /^[0-9a-f-]{36}$/i.test(input.threadId)
		? await db.select().from(smsThreads).where(eq(smsThreads.id, input.threadId))
		: [];
	if (!thread) throw notFound('THREAD_NOT_FOUND', 'That conversation no longer exists; reload the inbox.');
	if (thread.assignedTo !== null && thread.assignedTo !== input.actor.id && !roleAllows('manager', input.actor.role)) {
		throw new AppError('FORBIDDEN', 'THREAD_ASSIGNED_ELSEWHERE', 'This conversation is assigned to someone else; ask a manager to move it to you.');
	}
	const threadKey = threadKeyOf(thread.customerPhone, thread.ourPhone);
	validateSmsBody(input.body);
	await deps.hot.mutation(
		api.smsLocks.assertHolder,
		{ threadKey, userId: input.actor.id, userName: input.actor.name },
		SYSTEM_IDENTITY
	);
	// On a refusal the sender keeps the lease (they are still composing); it lapses on its own if they leave.
	const result = await sendSms(db, deps, { threadId: thread.id, body: input.body, actor: input.actor });
	await publishMessage(deps.hot, result.thread, result.message);
	void announceInboxChange(deps.broadcast, { threadId: result.thread.id, kind: 'message' });
	await deps.hot
		.mutation(api.smsLocks.releaseFor, { threadKey, userId: input.actor.id }, SYSTEM_IDENTITY)
		.catch((error: unknown) =>
			log.warn('sms: could not release a thread lock after sending', { threadKey, error: String(error) })
		);
	return result;
}
