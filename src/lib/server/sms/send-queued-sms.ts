/**
 * The `send-sms` job: the dispatcher of one Switchboard number. Every recorded text queues one
 * job keyed by its number, and pg-boss runs a number's jobs one at a time (key_strict_fifo), so a
 * number has exactly one dispatcher at any moment. A run hands the number's waiting texts to the
 * carrier oldest first, one per send slot, until none waits (later jobs then find nothing) or
 * its time is up (then it queues a follow-up job); texts go out in the order they were recorded.
 *
 * Each text waits for the number's next send slot (its throughput, sender-rate.ts), then one
 * transaction runs the compliance gate again (a STOP that arrived while the text waited cancels
 * it, with the reason) and claims the slot; the carrier call happens after that commit. A run
 * never fails for good: a failed job would hold back every later text from the number, so after
 * the last retry the text is marked failed, explained, and the queue moves on.
 */
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { MessageRef, TelephonyPort } from '../adapters/telephony/port';
import { AdapterError } from '../adapters/errors';
import { gateOutbound } from '../compliance/gate-outbound';
import { recordCarrierOptOut, UNSUBSCRIBED_RECIPIENT } from '../compliance/record-carrier-opt-out';
import type { Db } from '../db/client';
import { smsMessages, smsSenders, smsThreads } from '../db/schema/sms';
import type { SmsRates } from '../env';
import type { HotState } from '../live/hot';
import { logger } from '../log';
import { recordMessageSid } from './apply-early-statuses';
import { explainErrorCode } from './error-codes';
import { toMessageView, toThreadView } from './message-view';
import { publishMessage } from './publish-hot';
import { sendSpacingMs } from './sender-rate';
import { SMS_STATUS_CALLBACK_PATH, type SendSmsQueue } from './send-sms';

const log = logger('sms');

export interface SendQueuedSmsData {
	/** The sending Switchboard number (E.164); also the job's singleton key. */
	ourPhone: string;
}

export interface SendQueuedSmsDeps {
	db: Db;
	adapters: { telephony: Pick<TelephonyPort, 'sendMessage'> };
	hot: HotState;
	settings: { publicBaseUrl: string; smsRates: SmsRates };
}

/** How long one run keeps a worker before it hands the rest of the queue to a follow-up job. */
export const DISPATCH_RUN_MS = 30_000;

/** Time for the dispatcher; tests pass their own. */
export interface DispatchClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const realClock: DispatchClock = {
	now: () => Date.now(),
	sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
};

export type DispatchOutcome =
	| { kind: 'idle' }
	| { kind: 'sent'; messageId: string; messageSid: string }
	| { kind: 'canceled'; messageId: string; reason: string }
	| { kind: 'failed'; messageId: string; reason: string };

const UNCERTAIN =
	'Switchboard stopped while handing this text to the carrier, so it may or may not have gone out; check with the customer before sending it again.';
const CARRIER_DOWN = 'The carrier did not accept the message (it may be down); try again in a moment.';
const GAVE_UP = 'Switchboard could not send this text after several tries; try again in a moment.';

/** pg-boss entry point: drain the number's queue (see the module comment). */
export async function sendQueuedSmsJob(
	deps: SendQueuedSmsDeps & { jobs: SendSmsQueue },
	data: SendQueuedSmsData,
	job: { lastAttempt: boolean },
	clock: DispatchClock = realClock
): Promise<void> {
	const until = clock.now() + DISPATCH_RUN_MS;
	while (clock.now() < until) {
		if ((await dispatchNextSms(deps, data, job, clock)).kind === 'idle') return;
	}
	await deps.jobs.enqueue(deps.db, 'send-sms', data, { singletonKey: data.ourPhone });
}

type QueuedText = typeof smsMessages.$inferSelect;

/** The number's oldest waiting text that an earlier run already claimed (`claimed`), or not yet. */
async function oldestWaiting(db: Db, ourPhone: string, claimed: boolean): Promise<QueuedText | undefined> {
	const waiting = and(eq(smsMessages.fromPhone, ourPhone), eq(smsMessages.status, 'waiting'), eq(smsMessages.direction, 'outbound'));
	const [text] = await db
		.select()
		.from(smsMessages)
		.where(and(waiting, claimed ? isNotNull(smsMessages.dispatchStartedAt) : isNull(smsMessages.dispatchStartedAt)))
		.orderBy(asc(smsMessages.queueSeq))
		.limit(1);
	return text;
}

/**
 * Wait for the number's next send slot, then in one transaction run the compliance gate again
 * and claim the slot (or cancel the text, with the gate's reason).
 */
async function claimSendSlot(
	deps: SendQueuedSmsDeps,
	ourPhone: string,
	head: QueuedText,
	clock: DispatchClock
): Promise<{ allowed: true } | { allowed: false; reason: string }> {
	const { db } = deps;
	const [sender] = await db.select().from(smsSenders).where(eq(smsSenders.phone, ourPhone));
	const wait = (sender?.nextSendAt.getTime() ?? 0) - clock.now();
	if (wait > 0) await clock.sleep(wait);

	return db.transaction(async (tx) => {
		// The number's lock first, then the gate's lock on the recipient: the order sendSms takes them in.
		await tx.select({ phone: smsSenders.phone }).from(smsSenders).where(eq(smsSenders.phone, ourPhone)).for('update');
		const decision = await gateOutbound(tx, {
			to: head.toPhone,
			channel: 'sms',
			actor: head.authorId ? { id: head.authorId } : null,
			from: ourPhone
		});
		if (!decision.allowed) {
			await tx
				.update(smsMessages)
				.set({ status: 'canceled', errorMessage: `Not sent: ${decision.reason}`, attemptId: decision.attemptId, statusUpdatedAt: new Date() })
				.where(eq(smsMessages.id, head.id));
			return { allowed: false as const, reason: decision.reason };
		}
		const now = clock.now();
		await tx
			.update(smsSenders)
			.set({ nextSendAt: new Date(now + sendSpacingMs(deps.settings.smsRates, ourPhone, head.numSegments)) })
			.where(eq(smsSenders.phone, ourPhone));
		await tx
			.update(smsMessages)
			.set({ dispatchStartedAt: new Date(now), attemptId: decision.attemptId })
			.where(eq(smsMessages.id, head.id));
		return { allowed: true as const };
	});
}

/** Ask the carrier to send a claimed text; record its sid, or why it refused. */
async function handToCarrier(deps: SendQueuedSmsDeps, ourPhone: string, head: QueuedText, clock: DispatchClock): Promise<DispatchOutcome> {
	const { db } = deps;
	// The number's next slot counts from the moment the carrier is asked, so no two requests to the
	// carrier come closer than the spacing (the claim already reserved it, in case we die here).
	const handedAt = clock.now();
	const spacing = sendSpacingMs(deps.settings.smsRates, ourPhone, head.numSegments);
	const nextSlot = async () => {
		await db
			.update(smsSenders)
			.set({ nextSendAt: sql`greatest(${smsSenders.nextSendAt}, ${new Date(handedAt + spacing).toISOString()}::timestamptz)` })
			.where(eq(smsSenders.phone, ourPhone));
	};
	let ref: MessageRef;
	try {
		ref = await deps.adapters.telephony.sendMessage({
			from: head.fromPhone,
			to: head.toPhone,
			body: head.body,
			statusCallback: `${deps.settings.publicBaseUrl}${SMS_STATUS_CALLBACK_PATH}`
		});
	} catch (error) {
		const code = error instanceof AdapterError && error.vendorCode !== undefined ? Number(error.vendorCode) : NaN;
		log.warn('sms: the carrier refused a message', { messageId: head.id, code, error: String(error) });
		await nextSlot();
		if (code === UNSUBSCRIBED_RECIPIENT) {
			await recordCarrierOptOut(db, { phone: head.toPhone, messageSid: head.id, from: head.fromPhone, userId: head.authorId });
		}
		const known = Number.isFinite(code);
		return settle(deps, head.id, 'failed', known ? (explainErrorCode(code) ?? CARRIER_DOWN) : CARRIER_DOWN, known ? code : null);
	}
	// A status callback that came before this write was kept; recording the sid applies it.
	await recordMessageSid(db, head.id, ref.sid);
	await nextSlot();
	await publish(deps, head.id);
	return { kind: 'sent', messageId: head.id, messageSid: ref.sid };
}

/** Hand the number's oldest waiting text to the carrier (or cancel it); see the module comment. */
export async function dispatchNextSms(
	deps: SendQueuedSmsDeps,
	data: SendQueuedSmsData,
	job: { lastAttempt: boolean } = { lastAttempt: false },
	clock: DispatchClock = realClock
): Promise<DispatchOutcome> {
	// A text an earlier run claimed but never finished: that run died mid-send, and this run is its retry.
	const stale = await oldestWaiting(deps.db, data.ourPhone, true);
	if (stale) return settle(deps, stale.id, 'failed', UNCERTAIN);

	const head = await oldestWaiting(deps.db, data.ourPhone, false);
	if (!head) return { kind: 'idle' };

	try {
		const claim = await claimSendSlot(deps, data.ourPhone, head, clock);
		if (!claim.allowed) {
			await publish(deps, head.id);
			return { kind: 'canceled', messageId: head.id, reason: claim.reason };
		}
	} catch (error) {
		// Nothing was handed to the carrier: retry, or on the last attempt let the queue move on.
		if (!job.lastAttempt) throw error;
		log.error('sms: giving up on a queued text', { messageId: head.id, error: String(error) });
		return settle(deps, head.id, 'failed', GAVE_UP);
	}
	return handToCarrier(deps, data.ourPhone, head, clock);
}

async function settle(
	deps: SendQueuedSmsDeps,
	messageId: string,
	status: 'failed',
	reason: string,
	errorCode: number | null = null
): Promise<DispatchOutcome> {
	await deps.db
		.update(smsMessages)
		.set({ status, errorCode, errorMessage: reason, statusUpdatedAt: new Date() })
		.where(eq(smsMessages.id, messageId));
	await publish(deps, messageId);
	return { kind: status, messageId, reason };
}

/** Tell every inbox watching the thread (never throws: the archive is the truth). */
async function publish(deps: SendQueuedSmsDeps, messageId: string): Promise<void> {
	try {
		const [row] = await deps.db
			.select({ message: smsMessages, thread: smsThreads })
			.from(smsMessages)
			.innerJoin(smsThreads, eq(smsThreads.id, smsMessages.threadId))
			.where(eq(smsMessages.id, messageId));
		if (row) await publishMessage(deps.hot, toThreadView(row.thread), toMessageView(row.message));
	} catch (error) {
		log.warn('sms: could not publish a queued text', { messageId, error: String(error) });
	}
}
