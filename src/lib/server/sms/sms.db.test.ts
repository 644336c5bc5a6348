import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../adapters/errors';
import { makeStaff } from '../auth/test-helpers';
import { recordConsent } from '../compliance/record-consent';
import { makeCustomer } from '../crm/test-factories';
import { consentLedger, outboundAttempts } from '../db/schema/compliance';
import { activities } from '../db/schema/crm';
import { smsMessages, smsThreads } from '../db/schema/sms';
import { createTestDb, type TestDb } from '../db/test-db';
import { AppError } from '../errors';
import type { TelephonyPort } from '../adapters/telephony/port';
import type { Jobs } from '../jobs/jobs';
import { createTestJobs } from '../jobs/test-jobs';
import { toMessageView } from './message-view';
import { applyStatusCallback, type StatusCallback } from './apply-status-callback';
import { receiveInboundSms, replies } from './receive-inbound-sms';
import { sendSms } from './send-sms';
import { OUR_NUMBER, PUBLIC_BASE_URL, SILENT_HOT, dispatchAll, localTelephony, messageSid } from './test-helpers';

let t: TestDb;
let jobs: Jobs;
let agent: { id: string; name: string };
beforeAll(async () => {
	t = await createTestDb();
	// Queue only: each test runs the number's dispatcher itself (dispatchAll), as the send-sms jobs would.
	jobs = await createTestJobs(t, { adapters: localTelephony() as never, hot: SILENT_HOT }, { work: false });
	agent = await makeStaff(t.db, 'agent');
}, 60_000);
afterAll(async () => {
	await jobs.stop();
	await t.close();
});

/** Record a send, then hand it to `telephony` as the number's dispatcher would. */
async function sendNow(telephony: Pick<TelephonyPort, 'sendMessage'>, input: Parameters<typeof sendSms>[2]) {
	const recorded = await sendSms(t.db, { jobs }, input);
	expect(recorded.message).toMatchObject({ status: 'waiting', messageSid: null });
	await dispatchAll({ db: t.db, telephony }, recorded.thread.ourPhone);
	const [row] = await t.db.select().from(smsMessages).where(eq(smsMessages.id, recorded.message.id));
	return { ...recorded, message: toMessageView(row!) };
}

const company = 'Acme Support';
let n = 0;
const freshPhone = () => `+1628555${String(1000 + ++n).padStart(4, '0')}`;

async function counts() {
	const one = async (table: typeof smsMessages | typeof smsThreads | typeof consentLedger | typeof outboundAttempts) =>
		(await t.db.select({ n: count() }).from(table))[0]?.n ?? 0;
	return {
		messages: await one(smsMessages),
		threads: await one(smsThreads),
		ledger: await one(consentLedger),
		attempts: await one(outboundAttempts)
	};
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
	return error;
}

/** Strictly increasing times, so messages written back to back never tie on created_at. */
let last = 0;
const tick = () => new Date((last = Math.max(Date.now(), last + 1)));
const inbound = (from: string, body: string, sid = messageSid(), extra: { optOutType?: string; replyToKeywords?: boolean } = {}) =>
	receiveInboundSms(
		t.db,
		{ messageSid: sid, from, to: OUR_NUMBER, body, receivedAt: tick(), optOutType: extra.optOutType },
		{ company, replyToKeywords: extra.replyToKeywords }
	);

describe('receiveInboundSms', () => {
	it('archives the text in the thread for the number pair, linked to the customer, on their timeline', async () => {
		const phone = freshPhone();
		const customer = await makeCustomer(t.db, { firstName: 'Ada', phones: [{ number: phone }] });
		const first = await inbound(phone, 'Hello, is my order shipped?');
		expect(first).toMatchObject({ duplicate: false, keyword: null, reply: null, consentEntryId: null });
		expect(first.thread).toMatchObject({
			customerPhone: phone,
			ourPhone: OUR_NUMBER,
			customerId: customer.id,
			lastDirection: 'inbound'
		});
		expect(first.thread.threadKey).toBe(`${phone}|${OUR_NUMBER}`);
		expect(first.message).toMatchObject({
			direction: 'inbound',
			status: 'received',
			from: phone,
			to: OUR_NUMBER,
			body: 'Hello, is my order shipped?'
		});
		const second = await inbound(phone, 'Also, can I change the address?');
		expect(second.thread.id).toBe(first.thread.id);
		expect(second.thread.lastMessagePreview).toBe('Also, can I change the address?');
		const timeline = await t.db.select().from(activities).where(eq(activities.customerId, customer.id));
		expect(timeline.map((a) => a.summary).sort()).toEqual([
			'Text received: Also, can I change the address?',
			'Text received: Hello, is my order shipped?'
		]);
	});

	it('writes a retried webhook once and answers it the same way', async () => {
		const phone = freshPhone();
		const sid = messageSid();
		const first = await inbound(phone, 'STOP', sid);
		const before = await counts();
		const again = await inbound(phone, 'STOP', sid);
		expect(again).toMatchObject({ duplicate: true, reply: first.reply, message: { id: first.message.id } });
		expect(await counts()).toEqual(before);
	});

	it('stores bodies with markup verbatim', async () => {
		const payloads = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', '  spaced  \n'];
		const phone = freshPhone();
		for (const body of payloads) {
			const { message } = await inbound(phone, body);
			const [row] = await t.db.select().from(smsMessages).where(eq(smsMessages.id, message.id));
			expect(row?.body).toBe(body);
		}
	});

	it('records STOP in the ledger with the message behind it and leaves the reply to Twilio', async () => {
		const phone = freshPhone();
		const result = await inbound(phone, ' stop! ');
		expect(result.keyword).toEqual({ kind: 'opt_out', keyword: 'STOP' });
		// Twilio answers STOP itself; a second reply to a number that just opted out fails with 21610.
		expect(result.reply).toBeNull();
		const [entry] = await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone));
		expect(entry).toMatchObject({
			id: result.consentEntryId,
			action: 'opt_out',
			source: 'keyword',
			keyword: 'STOP',
			channel: 'all',
			messageSid: result.message.messageSid
		});
	});

	it('opts back in on START only when opted out, and treats YES as an ordinary answer otherwise', async () => {
		const phone = freshPhone();
		const yes = await inbound(phone, 'Yes');
		expect(yes).toMatchObject({ keyword: { kind: 'opt_in' }, reply: null, consentEntryId: null });
		await inbound(phone, 'QUIT');
		const start = await inbound(phone, 'START');
		expect(start.reply).toBeNull();
		expect(start.consentEntryId).not.toBeNull();
		const entries = await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone)).orderBy(consentLedger.id);
		expect(entries.map((e) => [e.action, e.keyword])).toEqual([
			['opt_out', 'QUIT'],
			['opt_in', 'START']
		]);
	});

	it('answers keywords itself only when replyToKeywords says Twilio does not', async () => {
		const phone = freshPhone();
		const own = { replyToKeywords: true };
		expect((await inbound(phone, 'help', messageSid(), own)).reply).toBe(replies.help(company));
		expect((await inbound(phone, 'STOP', messageSid(), own)).reply).toBe(replies.optOut(company));
		expect((await inbound(phone, 'START', messageSid(), own)).reply).toBe(replies.optIn(company));
	});

	it("records Advanced Opt-Out's custom keywords (OptOutType) in the ledger", async () => {
		const phone = freshPhone();
		const out = await inbound(phone, 'Arrêt', messageSid(), { optOutType: 'STOP' });
		expect(out).toMatchObject({ keyword: { kind: 'opt_out', keyword: 'ARRÊT' }, reply: null });
		const back = await inbound(phone, 'reprendre', messageSid(), { optOutType: 'START' });
		expect(back.keyword).toEqual({ kind: 'opt_in', keyword: 'REPRENDRE' });
		const entries = await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone)).orderBy(consentLedger.id);
		expect(entries.map((e) => [e.action, e.keyword, e.source])).toEqual([
			['opt_out', 'ARRÊT', 'keyword'],
			['opt_in', 'REPRENDRE', 'keyword']
		]);
	});

	it('leaves HELP and INFO to Twilio and writes no ledger entry', async () => {
		const phone = freshPhone();
		expect((await inbound(phone, 'help')).reply).toBeNull();
		expect((await inbound(phone, 'Info.')).reply).toBeNull();
		expect(await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone))).toEqual([]);
	});

	it('refuses a malformed webhook payload, writing nothing', async () => {
		const before = await counts();
		expect(
			await rejection(receiveInboundSms(t.db, { messageSid: 'nope', from: freshPhone(), to: OUR_NUMBER, body: 'x' }, { company }))
		).toMatchObject({
			code: 'INVALID_INBOUND_SMS'
		});
		expect(await rejection(inbound('12', 'hi'))).toMatchObject({ code: 'INVALID_PHONE' });
		expect(await counts()).toEqual(before);
	});
});

describe('sendSms', () => {
	it('gates, records and sends with the status callback, then follows status callbacks forward only', async () => {
		const { carrier, telephony } = localTelephony();
		const phone = freshPhone();
		const { thread } = await inbound(phone, 'Can you help?');
		const result = await sendNow(telephony, { threadId: thread.id, body: 'Sure, Ada!', actor: agent });
		expect(result.message).toMatchObject({
			direction: 'outbound',
			status: 'queued',
			from: OUR_NUMBER,
			to: phone,
			authorId: agent.id
		});
		const sid = result.message.messageSid;
		expect(sid).toMatch(/^SM[0-9a-f]{32}$/);
		const sent = carrier.messages.get(sid!);
		expect(sent).toMatchObject({
			from: OUR_NUMBER,
			to: phone,
			body: 'Sure, Ada!',
			statusCallback: `${PUBLIC_BASE_URL}/webhooks/twilio/sms/status`
		});
		const [row] = await t.db.select().from(smsMessages).where(eq(smsMessages.id, result.message.id));
		const [attempt] = await t.db.select().from(outboundAttempts).where(eq(outboundAttempts.id, row!.attemptId!));
		expect(attempt).toMatchObject({ decision: 'allowed', actorId: agent.id, toPhone: phone });

		// Drive the carrier and feed its signed callbacks' params, as the webhook would.
		const callbacks: StatusCallback[] = [];
		carrier.on(
			'message-status',
			(_m, cb) =>
				cb &&
				callbacks.push({
					MessageSid: cb.params.MessageSid!,
					MessageStatus: cb.params.MessageStatus!,
					ErrorCode: cb.params.ErrorCode
				})
		);
		carrier.advanceMessage(sid!); // sending
		carrier.advanceMessage(sid!); // sent
		carrier.advanceMessage(sid!); // delivered
		const [sending, sentCb, delivered] = callbacks;
		expect(await applyStatusCallback(t.db, delivered!)).toMatchObject({ changed: true, message: { status: 'delivered' } });
		expect(await applyStatusCallback(t.db, sentCb!)).toMatchObject({ changed: false, message: { status: 'delivered' } });
		expect(await applyStatusCallback(t.db, sending!)).toMatchObject({ changed: false, message: { status: 'delivered' } });
		expect(await applyStatusCallback(t.db, { MessageSid: sid!, MessageStatus: 'failed', ErrorCode: '30003' })).toMatchObject({
			changed: false,
			message: { status: 'delivered', errorCode: null }
		});
		const [final] = await t.db.select().from(smsMessages).where(eq(smsMessages.id, result.message.id));
		expect(final?.deliveredAt).toBeInstanceOf(Date);
		expect(final?.sentAt).toBeInstanceOf(Date);
		expect(await applyStatusCallback(t.db, { MessageSid: `SM${'f'.repeat(32)}`, MessageStatus: 'sent' })).toEqual({
			found: false,
			changed: false,
			message: null
		});
	});

	it('explains a delivery failure', async () => {
		const { carrier, telephony } = localTelephony();
		const result = await sendNow(telephony, { to: freshPhone(), from: OUR_NUMBER, body: 'Hi', actor: agent });
		const callbacks: StatusCallback[] = [];
		carrier.on(
			'message-status',
			(_m, cb) =>
				cb &&
				callbacks.push({
					MessageSid: cb.params.MessageSid!,
					MessageStatus: cb.params.MessageStatus!,
					ErrorCode: cb.params.ErrorCode
				})
		);
		carrier.advanceMessage(result.message.messageSid!, 'undelivered', 30006);
		expect(await applyStatusCallback(t.db, callbacks[0]!)).toMatchObject({
			changed: true,
			message: { status: 'undelivered', errorCode: 30006, errorMessage: 'The number is a landline or cannot receive texts.' }
		});
	});

	it('adds a ledger entry when a status callback reports 21610', async () => {
		const { telephony } = localTelephony();
		const phone = freshPhone();
		const result = await sendNow(telephony, { to: phone, from: OUR_NUMBER, body: 'Hi', actor: agent });
		await applyStatusCallback(t.db, { MessageSid: result.message.messageSid!, MessageStatus: 'failed', ErrorCode: '21610' });
		const [entry] = await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone));
		expect(entry).toMatchObject({ source: 'carrier_error', action: 'opt_out', messageSid: result.message.messageSid });
		const error = await rejection(
			sendNow(telephony, { to: phone, from: OUR_NUMBER, body: 'Again', actor: agent })
		);
		expect(error.code).toBe('DNC_BLOCKED');
	});

	it('refuses after STOP with DNC_BLOCKED, keeping only the audit row, sending nothing', async () => {
		const { carrier, telephony } = localTelephony();
		const phone = '+16285550100';
		await recordConsent(t.db, {
			phone,
			channel: 'all',
			action: 'opt_out',
			source: 'keyword',
			keyword: 'STOP',
			occurredAt: new Date('2026-11-24T08:00:00Z')
		});
		const before = await counts();
		const error = await rejection(
			sendNow(telephony, { to: phone, from: OUR_NUMBER, body: 'Hello?', actor: agent })
		);
		expect(error).toMatchObject({ kind: 'FORBIDDEN', code: 'DNC_BLOCKED' });
		expect(error.message).toBe(
			'+1 628 555 0100 opted out by keyword STOP on 2026-11-24; they must text START to receive messages.'
		);
		expect(await counts()).toEqual({ ...before, attempts: before.attempts + 1 });
		expect(carrier.messages.size).toBe(0);
		const [attempt] = await t.db.select().from(outboundAttempts).where(eq(outboundAttempts.toPhone, phone));
		expect(attempt).toMatchObject({ decision: 'refused', code: 'DNC_BLOCKED', reason: error.message });
	});

	it.each([
		['an empty body', { body: '   \n' }, 'EMPTY_BODY', 'Type a message before sending.'],
		[
			'an over-long body',
			{ body: 'x'.repeat(1601) },
			'BODY_TOO_LONG',
			'The message is 1,601 characters; the limit is 1,600. Shorten it by 1.'
		],
		['an invalid number', { to: '555' }, 'INVALID_PHONE', /'555' is too short/],
		['an unknown thread', { threadId: '00000000-0000-4000-8000-000000000000' }, 'THREAD_NOT_FOUND', /reload the inbox/]
	])('refuses %s with a clear error and writes nothing', async (_label, patch, code, message) => {
		const { carrier, telephony } = localTelephony();
		const before = await counts();
		const input =
			'threadId' in patch
				? { threadId: patch.threadId, body: 'Hi' }
				: { to: freshPhone(), from: OUR_NUMBER, body: 'Hi', ...patch };
		const error = await rejection(sendNow(telephony, { ...input, actor: agent }));
		expect(error.code).toBe(code);
		expect(error.message).toMatch(message);
		expect(await counts()).toEqual(before);
		expect(carrier.messages.size).toBe(0);
	});

	it('sends exactly 1600 characters and markup verbatim', async () => {
		const { carrier, telephony } = localTelephony();
		const body = `<script>alert("x")</script>${'y'.repeat(1600 - 27)}`;
		expect(body).toHaveLength(1600);
		const result = await sendNow(telephony, { to: freshPhone(), from: OUR_NUMBER, body, actor: agent });
		expect(result.message.body).toBe(body);
		expect(carrier.messages.get(result.message.messageSid!)?.body).toBe(body);
	});

	it('marks the message failed, explained, when the carrier refuses it', async () => {
		const { telephony } = localTelephony();
		const failing = {
			...telephony,
			sendMessage: () => Promise.reject(Object.assign(new Error('Unreachable'), {}))
		} as unknown as typeof telephony;
		const result = await sendNow(failing, { to: freshPhone(), from: OUR_NUMBER, body: 'Hi', actor: agent });
		expect(result.message).toMatchObject({
			status: 'failed',
			messageSid: null,
			errorMessage: expect.stringMatching(/did not accept the message/)
		});
	});

	it('records a 21610 refusal from the carrier in the ledger and explains it', async () => {
		const { telephony } = localTelephony();
		const phone = freshPhone();
		const unsubscribed = new AdapterError('Attempt to send to unsubscribed recipient', {
			port: 'telephony',
			adapter: 'twilio',
			status: 400,
			vendorCode: 21610
		});
		const failing = { ...telephony, sendMessage: () => Promise.reject(unsubscribed) } as unknown as typeof telephony;
		const result = await sendNow(failing, { to: phone, from: OUR_NUMBER, body: 'Hi', actor: agent });
		expect(result.message).toMatchObject({
			status: 'failed',
			errorCode: 21610,
			errorMessage: expect.stringMatching(/replied STOP/)
		});
		const [entry] = await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone));
		expect(entry).toMatchObject({ source: 'carrier_error', userId: agent.id });
	});
});
