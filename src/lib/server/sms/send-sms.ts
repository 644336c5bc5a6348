/**
 * An agent's outbound text. Validation first; then one transaction runs the compliance gate and,
 * only when it allows, records the message as `queued` (a refusal commits just its audit row
 * and throws DNC_BLOCKED). After the commit the telephony port sends it with a status callback;
 * the carrier's answer (sid, or an error explained) is written back to the same row. A 21610
 * answer also lands in the consent ledger.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { TelephonyPort } from '../adapters/telephony';
import { AdapterError } from '../adapters/errors';
import { gateOutbound } from '../compliance/gate-outbound';
import { recordCarrierOptOut, UNSUBSCRIBED_RECIPIENT } from '../compliance/record-carrier-opt-out';
import { normalizePhone } from '../crm/normalize-phone';
import type { Db } from '../db/client';
import { SMS_BODY_MAX, smsMessages, smsThreads } from '../db/schema/sms';
import { badRequest, notFound, type AppError } from '../errors';
import { logger } from '../log';
import { explainErrorCode } from './error-codes';
import { toMessageView, toThreadView, type SmsMessageView, type SmsThreadView } from './message-view';
import { appendMessage, findOrCreateThread } from './record-message';

const log = logger('sms');

export const SMS_STATUS_CALLBACK_PATH = '/webhooks/twilio/sms/status';

export type SendSmsInput = ({ threadId: string; to?: never; from?: never } | { to: string; from: string; threadId?: never }) & {
	body: string;
	actor: { id: string };
};

export interface SendSmsDeps {
	telephony: TelephonyPort;
	/** config.publicBaseUrl: the status callback goes to `${publicBaseUrl}/webhooks/twilio/sms/status`. */
	publicBaseUrl: string;
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

const segmentsOf = (body: string) => (body.length <= 160 ? 1 : Math.ceil(body.length / 153));

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
		const decision = await gateOutbound(tx, { to: pair.customerPhone, channel: 'sms', actor: input.actor, from: pair.ourPhone });
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
			status: 'queued',
			numSegments: segmentsOf(input.body),
			authorId: input.actor.id,
			attemptId: decision.attemptId
		});
		if (!row) throw new Error('insert into sms_messages returned no row');
		const [fresh] = await tx.select().from(smsThreads).where(eq(smsThreads.id, thread.id));
		return { row, thread: fresh ?? thread };
	});
	// The refusal's audit row is committed; nothing else was written.
	if (refused || !recorded) throw refused ?? new Error('send was neither recorded nor refused');

	const { row, thread } = recorded;
	try {
		const ref = await deps.telephony.sendMessage({
			from: thread.ourPhone,
			to: thread.customerPhone,
			body: input.body,
			statusCallback: `${deps.publicBaseUrl}${SMS_STATUS_CALLBACK_PATH}`
		});
		// A status callback may already have moved the row on; only fill in what is missing.
		const [updated] = await db.update(smsMessages).set({ messageSid: ref.sid }).where(eq(smsMessages.id, row.id)).returning();
		return { message: toMessageView(updated ?? row), thread: toThreadView(thread) };
	} catch (error) {
		const code = error instanceof AdapterError && error.vendorCode !== undefined ? Number(error.vendorCode) : null;
		log.warn('sms: the carrier refused a message', { messageId: row.id, code, error: String(error) });
		if (code === UNSUBSCRIBED_RECIPIENT) {
			await recordCarrierOptOut(db, {
				phone: thread.customerPhone,
				messageSid: row.id,
				from: thread.ourPhone,
				userId: input.actor.id
			});
		}
		const explained =
			code !== null && Number.isFinite(code)
				? explainErrorCode(code)
				: 'The carrier did not accept the message (it may be down); try again in a moment.';
		const [failed] = await db
			.update(smsMessages)
			.set({
				status: 'failed',
				errorCode: code !== null && Number.isFinite(code) ? code : null,
				errorMessage: explained,
				statusUpdatedAt: new Date()
			})
			.where(eq(smsMessages.id, row.id))
			.returning();
		return { message: toMessageView(failed ?? row), thread: toThreadView(thread) };
	}
}
