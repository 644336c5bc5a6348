/**
 * An agent's outbound text is recorded, not sent, here. Validation first; then one transaction
 * takes the sending number's queue slot, runs the compliance gate and, only when it allows,
 * records the message as `waiting` and queues its `send-sms` job (a refusal commits just its
 * audit row and throws DNC_BLOCKED). The job (send-queued-sms.ts) hands texts to the carrier in
 * order at the number's throughput, checking the ledger again right before each send.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import { gateOutbound } from '../compliance/gate-outbound';
import { normalizePhone } from '../crm/normalize-phone';
import type { Db, Tx } from '../db/client';
import { smsSenders, smsThreads } from '../db/schema/sms';
import { SMS_BODY_MAX } from '../../sms/limits';
import { badRequest, notFound, type AppError } from '../errors';
import { toMessageView, toThreadView, type SmsMessageView, type SmsThreadView } from './message-view';
import { appendMessage, findOrCreateThread } from './record-message';
import { countSegments } from './segments';

export const SMS_STATUS_CALLBACK_PATH = '/webhooks/twilio/sms/status';

export type SendSmsInput = ({ threadId: string; to?: never; from?: never } | { to: string; from: string; threadId?: never }) & {
	body: string;
	actor: { id: string };
	/** The compliance check inside the send's transaction; the consent ledger's (gateOutbound) unless given. */
	gate?: SmsGate;
};

/** Runs inside the send's transaction and keeps its own attempt row; a refusal's error is thrown after the commit. */
export type SmsGate = (
	tx: Tx,
	pair: { customerPhone: string; ourPhone: string }
) => Promise<{ allowed: true; attemptId: string } | { allowed: false; error: AppError }>;

const ledgerGate =
	(actor: { id: string }): SmsGate =>
	(tx, pair) =>
		gateOutbound(tx, { to: pair.customerPhone, channel: 'sms', actor, from: pair.ourPhone });

/** The one job the send path queues (jobs/jobs.ts `Jobs` fits; spelled out so sms/ does not import jobs/). */
export interface SendSmsQueue {
	enqueue(tx: Tx | Db, name: 'send-sms', data: { ourPhone: string }, options: { singletonKey: string }): Promise<string>;
}

export interface SendSmsDeps {
	jobs: SendSmsQueue;
}

export interface SendSmsResult {
	message: SmsMessageView;
	thread: SmsThreadView;
}

/** Throws EMPTY_BODY or BODY_TOO_LONG; the body is otherwise kept exactly as typed. */
export function validateSmsBody(body: string): void {
	if (body.trim() === '') throw badRequest('EMPTY_BODY', 'Type a message before sending.');
	if (body.length > SMS_BODY_MAX) {
		throw badRequest(
			'BODY_TOO_LONG',
			`The message is ${body.length.toLocaleString('en-US')} characters; the limit is ${SMS_BODY_MAX.toLocaleString('en-US')}. Shorten it by ${(body.length - SMS_BODY_MAX).toLocaleString('en-US')}.`,
			{ length: body.length, max: SMS_BODY_MAX }
		);
	}
}

/**
 * Lock the sending number's row (created on first use) and take the next place in its queue.
 * Taken before the gate's lock on the recipient, the order the dispatcher takes them in too.
 */
export async function takeQueueSlot(tx: Tx, ourPhone: string): Promise<number> {
	await tx.insert(smsSenders).values({ phone: ourPhone }).onConflictDoNothing({ target: smsSenders.phone });
	const [row] = await tx
		.update(smsSenders)
		.set({ lastSeq: sql`${smsSenders.lastSeq} + 1` })
		.where(eq(smsSenders.phone, ourPhone))
		.returning({ seq: smsSenders.lastSeq });
	if (!row) throw new Error(`sms_senders row for ${ourPhone} vanished`);
	return row.seq;
}

export async function sendSms(db: Db, deps: SendSmsDeps, input: SendSmsInput): Promise<SendSmsResult> {
	validateSmsBody(input.body);
	let pair: { customerPhone: string; ourPhone: string };
	if (input.threadId !== undefined) {
		const [thread] = /^[0-9a-f-]{36}$/i.test(input.threadId)
			? await db.select().from(smsThreads).where(eq(smsThreads.id, input.threadId))
			: [];
		if (!thread) throw notFound('THREAD_NOT_FOUND', 'That conversation no longer exists; reload the inbox.');
		pair = { customerPhone: thread.customerPhone, ourPhone: thread.ourPhone };
	} else {
		pair = { customerPhone: normalizePhone(input.to).e164, ourPhone: normalizePhone(input.from).e164 };
	}

	let refused: AppError | null = null;
	const recorded = await db.transaction(async (tx) => {
		const seq = await takeQueueSlot(tx, pair.ourPhone);
		const decision = await (input.gate ?? ledgerGate(input.actor))(tx, pair);
		if (!decision.allowed) {
			refused = decision.error;
			return null;
		}
		const thread = await findOrCreateThread(tx, pair.customerPhone, pair.ourPhone);
		// The first agent to reply takes an unassigned thread (the inbox's "mine").
		await tx
			.update(smsThreads)
			.set({ assignedTo: input.actor.id })
			.where(and(eq(smsThreads.id, thread.id), isNull(smsThreads.assignedTo)));
		const row = await appendMessage(tx, {
			thread,
			messageSid: null,
			direction: 'outbound',
			body: input.body,
			status: 'waiting',
			numSegments: countSegments(input.body),
			authorId: input.actor.id,
			attemptId: decision.attemptId,
			queueSeq: seq,
			// Stamped under the number's lock, so the thread shows texts in the order they go out.
			at: new Date()
		});
		if (!row) throw new Error('insert into sms_messages returned no row');
		await deps.jobs.enqueue(tx, 'send-sms', { ourPhone: pair.ourPhone }, { singletonKey: pair.ourPhone });
		const [fresh] = await tx.select().from(smsThreads).where(eq(smsThreads.id, thread.id));
		return { row, thread: fresh ?? thread };
	});
	// The refusal's audit row is committed; nothing else was written.
	if (refused || !recorded) throw refused ?? new Error('send was neither recorded nor refused');
	return { message: toMessageView(recorded.row), thread: toThreadView(recorded.thread) };
}
