/**
 * The messaging webhooks' handlers: the shared plumbing (signature, body cap, zod, error
 * mapping) plus one use-case each. `src/routes/webhooks/twilio/sms/**` only passes the request
 * and the services in, so tests call these directly.
 *
 * Order matters: the archive (PostgreSQL) commits first; hot state is a copy published after,
 * and a failure there is logged, never fatal, because the archived message is the truth and
 * hydrating the thread again repairs the copy.
 */
import { eq } from 'drizzle-orm';
import type { BroadcastPort } from '../adapters/broadcast';
import type { TelephonyPort } from '../adapters/telephony/port';
import { recordCarrierOptOut, UNSUBSCRIBED_RECIPIENT } from '../compliance/record-carrier-opt-out';
import type { Db } from '../db/client';
import { smsThreads } from '../db/schema/sms';
import type { Config } from '../env';
import type { HotState } from '../live/hot';
import { logger } from '../log';
import { recordDeliveryOnce } from '../webhooks/delivery-ledger';
import { noContent, twimlResponse } from '../webhooks/responses';
import { twilioWebhook } from '../webhooks/twilio-webhook';
import { holdEarlyStatus, lockMessageSid } from './apply-early-statuses';
import { applyStatusCallback } from './apply-status-callback';
import type { MmsMediaQueue } from './fetch-mms-media';
import { announceInboxChange } from './inbox-events';
import { toThreadView, type SmsMessageView } from './message-view';
import { messagingReplyTwiml } from './messaging-twiml';
import { publishMessage } from './publish-hot';
import { receiveInboundSms } from './receive-inbound-sms';
import { SMS_STATUS_CALLBACK_PATH } from './send-sms';
import { ZInboundSmsRequest, ZSmsStatusCallback, type TInboundSmsRequest, type TSmsStatusCallback } from './sms-params';

/** The business name in automatic replies (STOP/START/HELP confirmations). */
export const SMS_COMPANY_NAME = 'Switchboard';

export const SMS_PATHS = { inbound: '/webhooks/twilio/sms', status: SMS_STATUS_CALLBACK_PATH } as const;

/** What the messaging webhooks need from the composition root (a subset of Services). */
export interface SmsWebhookServices {
	config: Pick<Config, 'publicBaseUrl'>;
	db: Db;
	hot: HotState;
	/** Queues an MMS's media fetch in the message's own transaction. */
	jobs: MmsMediaQueue;
	adapters: { telephony: Pick<TelephonyPort, 'validateWebhook' | 'accountSid'>; broadcast: BroadcastPort };
}

const log = logger('sms');

/** POST /webhooks/twilio/sms: a customer's text. Answers `<Response/>`: Twilio itself answers STOP/HELP/START. */
export function inboundSmsWebhook(services: SmsWebhookServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'sms.inbound',
		schema: ZInboundSmsRequest,
		handle: async (sms) => twimlResponse(messagingReplyTwiml(await acceptInboundSms(services, sms)))
	});
}

/** Archive, publish and announce one inbound text; returns the keyword reply. Also the spool's replay (webhooks/replay-spool.ts). */
export async function acceptInboundSms(services: SmsWebhookServices, sms: TInboundSmsRequest): Promise<string | null> {
	// Idempotent on MessageSid: a retry writes nothing and gets the same reply.
	const result = await receiveInboundSms(
		services.db,
		{ messageSid: sms.MessageSid, from: sms.From, to: sms.To, body: sms.Body, media: sms.media, numSegments: sms.NumSegments, optOutType: sms.OptOutType },
		{ company: SMS_COMPANY_NAME, jobs: services.jobs }
	);
	// Published on a retry too: the first delivery may have died between the archive commit and this.
	await publishMessage(services.hot, result.thread, result.message);
	void announceInboxChange(services.adapters.broadcast, { threadId: result.thread.id, kind: 'message' });
	return result.reply;
}

export interface SmsStatusOutcome {
	/** This (MessageSid, MessageStatus) was applied before: nothing changed. */
	replay: boolean;
	/** The archived message moved to a new status. */
	changed: boolean;
	message: SmsMessageView | null;
}

/** A status delivery is the same whoever carries it: a retry repeats both the sid and the status. */
export const statusDeliveryKey = (status: Pick<TSmsStatusCallback, 'MessageSid' | 'MessageStatus'>) =>
	`sms.status:${status.MessageSid}:${status.MessageStatus}`;

/**
 * Apply one status callback once per (MessageSid, MessageStatus), in one transaction with the
 * delivery record. A 21610 (recipient unsubscribed at the carrier) lands in the consent ledger
 * even when the status itself is stale, or the message is not ours (then from `To`).
 * An unknown sid is kept and applied when the dispatcher records it (apply-early-statuses.ts):
 * the carrier can call back before its REST answer reaches us, and does not retry a 404.
 */
export async function applySmsStatus(db: Db, status: TSmsStatusCallback): Promise<SmsStatusOutcome> {
	return db.transaction(async (tx): Promise<SmsStatusOutcome> => {
		await lockMessageSid(tx, status.MessageSid);
		if (!(await recordDeliveryOnce(tx, statusDeliveryKey(status), 'sms.status'))) {
			return { replay: true, changed: false, message: null };
		}
		// Passing `tx` makes the status write (and its nested ledger write) part of this transaction.
		const callback = { MessageSid: status.MessageSid, MessageStatus: status.MessageStatus, ErrorCode: status.ErrorCode ?? null };
		const result = await applyStatusCallback(tx, callback);
		if (!result.found) await holdEarlyStatus(tx, callback);
		const optOutPhone = result.message?.to ?? status.To;
		if (status.ErrorCode === UNSUBSCRIBED_RECIPIENT && optOutPhone) {
			// Idempotent per MessageSid: a no-op when applyStatusCallback recorded it already.
			await recordCarrierOptOut(tx, {
				phone: optOutPhone,
				messageSid: status.MessageSid,
				from: result.message?.from ?? status.From ?? null,
				userId: result.message?.authorId ?? null
			});
		}
		return { replay: false, changed: result.changed, message: result.message };
	});
}

/** POST /webhooks/twilio/sms/status: an outbound text was sent, delivered, or failed. */
export function smsStatusWebhook(services: SmsWebhookServices, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, services, {
		name: 'sms.status',
		schema: ZSmsStatusCallback,
		handle: async (status) => {
			const outcome = await applySmsStatus(services.db, status);
			if (outcome.changed && outcome.message) {
				await publishStatus(services, outcome.message);
				void announceInboxChange(services.adapters.broadcast, { threadId: outcome.message.threadId, kind: 'status' });
			}
			return noContent();
		}
	});
}

async function publishStatus(services: SmsWebhookServices, message: SmsMessageView): Promise<void> {
	try {
		const [thread] = await services.db.select().from(smsThreads).where(eq(smsThreads.id, message.threadId));
		if (thread) await publishMessage(services.hot, toThreadView(thread), message);
	} catch (error) {
		log.warn('sms: could not publish a status change to hot state', { messageId: message.id, error: String(error) });
	}
}
