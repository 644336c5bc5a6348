import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import type { Role } from '$lib/roles';
import { LocalBroadcast } from '../adapters/broadcast/local';
import { makeStaff } from '../auth/test-helpers';
import { consentLedger } from '../db/schema/compliance';
import { rowsOf } from '../db/rows';
import { smsAttachments, smsEarlyStatuses, smsMessages, smsThreads } from '../db/schema/sms';
import { webhookDeliveries } from '../db/schema/webhooks';
import { createTestDb, type TestDb } from '../db/test-db';
import { AppError } from '../errors';
import { createLocalHotState, type HotState, type Identity } from '../live/hot';
import { setLogLevel } from '../log';
import { formBody, signedRequest } from '../webhooks/test-requests';
import type { TwilioParams } from '../webhooks/verify-twilio-request';
import { watchInbox, type InboxChange } from './inbox-events';
import { messagingReplyTwiml } from './messaging-twiml';
import { sendInThread } from './send-in-thread';
import { inboundSmsWebhook, SMS_PATHS, smsStatusWebhook, type SmsWebhookServices } from './sms-webhooks';
import type { Jobs } from '../jobs/jobs';
import { createTestJobs } from '../jobs/test-jobs';
import { dispatchAll, type DispatchTestDeps, localTelephony, messageSid, OUR_NUMBER, PUBLIC_BASE_URL, TEST_ACCOUNT_SID } from './test-helpers';

let t: TestDb;
let hot: HotState;
let jobs: Jobs;
let services: SmsWebhookServices;
let agent: { id: string; name: string; role: Role };
let viewer: Identity;
const { telephony } = localTelephony();
const broadcast = new LocalBroadcast();
/** Every inbox change notice announced, as an open inbox would see them. */
const changes: InboxChange[] = [];
/** Resolves once a notice matching `match` has arrived (it may have already). */
function announced(match: Partial<InboxChange>): Promise<InboxChange> {
	const hit = (c: InboxChange) => Object.entries(match).every(([k, v]) => c[k as keyof InboxChange] === v);
	return new Promise((resolve) => {
		const poll = () => {
			const found = changes.find(hit);
			if (found) resolve(found);
			else setImmediate(poll);
		};
		poll();
	});
}

beforeAll(async () => {
	setLogLevel('silent');
	[t, hot] = await Promise.all([createTestDb(), createLocalHotState()]);
	// Queue only: sendAs runs the number's dispatcher itself, as the send-sms jobs would.
	jobs = await createTestJobs(t, { adapters: { telephony } as never, hot }, { work: false });
	services = { config: { publicBaseUrl: PUBLIC_BASE_URL }, db: t.db, hot, jobs, adapters: { telephony, broadcast } };
	agent = await makeStaff(t.db, 'agent');
	await watchInbox(broadcast, agent.id, (change) => changes.push(change));
	viewer = { subject: agent.id, role: 'agent', name: agent.name };
}, 60_000);
afterAll(async () => {
	await jobs.stop();
	await Promise.allSettled([hot.close(), t.close()]);
});

let n = 0;
const freshPhone = () => `+1628555${String(2000 + ++n).padStart(4, '0')}`;

type Options = { headers?: Record<string, string>; signature?: string | null; body?: string; services?: SmsWebhookServices };

function post(path: string, params: TwilioParams, o: Options = {}): Promise<Response> {
	const { request, url } = signedRequest(telephony, { path, params, publicBaseUrl: PUBLIC_BASE_URL, ...o });
	const handler = path === SMS_PATHS.status ? smsStatusWebhook : inboundSmsWebhook;
	return handler(o.services ?? services, request, url);
}

const inboundParams = (from: string, body: string, sid = messageSid()): Record<string, string> => ({
	AccountSid: TEST_ACCOUNT_SID,
	ApiVersion: '2010-04-01',
	MessageSid: sid,
	SmsMessageSid: sid,
	From: from,
	To: OUR_NUMBER,
	Body: body,
	NumMedia: '0',
	NumSegments: '1',
	FromCity: 'SAN FRANCISCO'
});
const inbound = (from: string, body: string, sid?: string, o?: Options) => post(SMS_PATHS.inbound, inboundParams(from, body, sid), o);

async function counts() {
	const one = async (table: typeof smsMessages | typeof smsThreads | typeof consentLedger | typeof webhookDeliveries | typeof smsAttachments) =>
		(await t.db.select({ n: count() }).from(table))[0]?.n ?? 0;
	const jobs: unknown = await t.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'fetch-mms-media'`);
	const mediaJobs = rowsOf<{ n: number }>(jobs)[0]?.n ?? 0;
	return {
		messages: await one(smsMessages),
		threads: await one(smsThreads),
		ledger: await one(consentLedger),
		deliveries: await one(webhookDeliveries),
		attachments: await one(smsAttachments),
		mediaJobs
	};
}

const messageBySid = async (sid: string) => (await t.db.select().from(smsMessages).where(eq(smsMessages.messageSid, sid)))[0];
const threadOf = async (phone: string) =>
	(await t.db.select().from(smsThreads).where(eq(smsThreads.customerPhone, phone)))[0] ?? expect.unreachable(`no thread for ${phone}`);

/** Send as the agent and let the number's dispatcher hand it to the carrier. */
async function sendAs(threadId: string, body: string) {
	const result = await sendInThread(t.db, { jobs, hot, broadcast }, { threadId, body, actor: agent });
	await dispatchAll({ db: t.db, telephony, hot }, result.thread.ourPhone);
	const row = (await t.db.select().from(smsMessages).where(eq(smsMessages.id, result.message.id)))[0];
	return { ...result, message: { ...result.message, messageSid: row?.messageSid ?? null, status: row?.status ?? result.message.status } };
}
async function refusal(promise: Promise<unknown>): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
	return error;
}

const EMPTY = messagingReplyTwiml(null);

describe('POST /webhooks/twilio/sms', () => {
	it('archives a signed text, publishes it to hot state and answers an empty <Response/>', async () => {
		const phone = freshPhone();
		const sid = messageSid();
		const res = await inbound(phone, 'Hi, where is my order?', sid);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
		expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
		expect(await messageBySid(sid)).toMatchObject({ direction: 'inbound', status: 'received', fromPhone: phone, toPhone: OUR_NUMBER, body: 'Hi, where is my order?' });
		const recent = await hot.query(api.smsMessages.forThread, { threadKey: `${phone}|${OUR_NUMBER}` }, viewer);
		expect(recent.map((m) => [m.messageSid, m.body, m.state])).toEqual([[sid, 'Hi, where is my order?', 'received']]);
		// Every open inbox is told which thread changed.
		const thread = await threadOf(phone);
		await expect(announced({ threadId: thread.id })).resolves.toEqual({ threadId: thread.id, kind: 'message' });
	});

	it('refuses missing, forged and replayed-with-changed-body signatures with 403 and writes nothing', async () => {
		const phone = freshPhone();
		const before = await counts();
		// An MMS, so a forged one must not leave attachments or a fetch job either.
		const params = { ...inboundParams(phone, 'hello'), NumMedia: '1', MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', MediaContentType0: 'image/png' };
		const missing = await post(SMS_PATHS.inbound, params, { signature: null });
		const forged = await post(SMS_PATHS.inbound, params, { signature: 'bm90IGEgc2lnbmF0dXJl' });
		const good = signedRequest(telephony, { path: SMS_PATHS.inbound, params, publicBaseUrl: PUBLIC_BASE_URL });
		const changed = await post(SMS_PATHS.inbound, params, {
			signature: good.request.headers.get('x-twilio-signature'),
			body: formBody({ ...params, Body: 'STOP' })
		});
		const otherAccount = await post(SMS_PATHS.inbound, { ...params, AccountSid: `AC${'9'.repeat(32)}` });
		expect([missing.status, forged.status, changed.status, otherAccount.status]).toEqual([403, 403, 403, 403]);
		expect(await missing.text()).toMatch(/Missing X-Twilio-Signature/);
		expect(await counts()).toEqual(before);
	});

	it('answers a retry the same way and archives the text once', async () => {
		const phone = freshPhone();
		const sid = messageSid();
		const first = await (await inbound(phone, 'Stop', sid)).text();
		const before = await counts();
		const again = await inbound(phone, 'Stop', sid, { headers: { 'I-Twilio-Idempotency-Token': 'retry-1' } });
		expect(again.status).toBe(200);
		expect(await again.text()).toBe(first);
		expect(await counts()).toEqual(before);
	});

	it('records STOP in the ledger (source keyword), refuses a later send with DNC_BLOCKED, and START allows it again', async () => {
		const phone = freshPhone();
		await inbound(phone, 'Can you text me the tracking number?');
		const thread = await threadOf(phone);

		const stopSid = messageSid();
		const stop = await inbound(phone, '  stop. ', stopSid);
		// Twilio answers STOP itself; ours would be a second reply, refused with 21610.
		expect(await stop.text()).toBe(messagingReplyTwiml(null));
		const [entry] = await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone));
		expect(entry).toMatchObject({ action: 'opt_out', source: 'keyword', keyword: 'STOP', channel: 'all', messageSid: stopSid });

		const messagesBefore = (await counts()).messages;
		const blocked = await refusal(sendAs(thread.id, 'Your tracking number is 1Z999.'));
		expect(blocked.code).toBe('DNC_BLOCKED');
		expect(blocked.message).toMatch(/opted out by keyword STOP on \d{4}-\d{2}-\d{2}; they must text START/);
		expect((await counts()).messages).toBe(messagesBefore);

		const start = await inbound(phone, 'START');
		expect(await start.text()).toBe(messagingReplyTwiml(null));
		const sent = await sendAs(thread.id, 'Your tracking number is 1Z999.');
		expect(sent.message).toMatchObject({ direction: 'outbound', status: 'queued', body: 'Your tracking number is 1Z999.' });
		expect(sent.message.messageSid).toMatch(/^SM[0-9a-f]{32}$/);
	});

	it("passes Advanced Opt-Out's OptOutType on, so a custom keyword reaches the ledger", async () => {
		const phone = freshPhone();
		const sid = messageSid();
		const res = await post(SMS_PATHS.inbound, { ...inboundParams(phone, 'Desuscribir', sid), MessagingServiceSid: `MG${'a'.repeat(32)}`, OptOutType: 'STOP' });
		expect(await res.text()).toBe(messagingReplyTwiml(null));
		const [entry] = await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone));
		expect(entry).toMatchObject({ action: 'opt_out', source: 'keyword', keyword: 'DESUSCRIBIR', messageSid: sid });
	});

	it('leaves HELP to Twilio (an empty response) and writes no ledger entry', async () => {
		const phone = freshPhone();
		const res = await inbound(phone, 'help');
		expect(await res.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
		expect(await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone))).toEqual([]);
	});

	it('stores markup verbatim and never echoes it into the TwiML', async () => {
		const phone = freshPhone();
		const payloads = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', '{{company}} & ]]>', '  spaced  \n'];
		for (const body of payloads) {
			const sid = messageSid();
			const res = await inbound(phone, body, sid);
			expect(await res.text()).toBe(EMPTY);
			expect((await messageBySid(sid))?.body).toBe(body);
		}
	});

	it('keeps MMS media from MediaUrl{N} and MediaContentType{N} as pending attachments with one fetch job; a replay adds none', async () => {
		const phone = freshPhone();
		const sid = `MM${'ab'.repeat(16)}`;
		const params = {
			...inboundParams(phone, '', sid),
			NumMedia: '2',
			MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1',
			MediaContentType0: 'image/jpeg',
			MediaUrl1: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2',
			MediaContentType1: 'image/png'
		};
		const res = await post(SMS_PATHS.inbound, params);
		expect(res.status).toBe(200);
		const message = await messageBySid(sid);
		expect(message?.media).toEqual([
			{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' },
			{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME2', contentType: 'image/png' }
		]);
		const rows = () => t.db.select().from(smsAttachments).where(eq(smsAttachments.messageId, message?.id ?? ''));
		expect((await rows()).map((a) => [a.index, a.status, a.contentType]).sort()).toEqual([
			[0, 'pending', 'image/jpeg'],
			[1, 'pending', 'image/png']
		]);
		const queued = async () => {
			const result: unknown = await t.db.execute(sql`select id from pgboss.job where name = 'fetch-mms-media' and data->>'messageId' = ${message?.id ?? ''}`);
			return rowsOf(result).length;
		};
		expect(await queued()).toBe(1);

		// Twilio retries the same delivery: same answer, nothing new.
		const replay = await post(SMS_PATHS.inbound, params);
		expect(replay.status).toBe(200);
		expect(await rows()).toHaveLength(2);
		expect(await queued()).toBe(1);
	});

	it('answers nonsense with 400 naming the field, and writes nothing', async () => {
		const phone = freshPhone();
		const before = await counts();
		const cases: [Record<string, string>, RegExp][] = [
			[inboundParams(phone, 'x'.repeat(1601)), /Body is 1,601 characters; a text is at most 1,600/],
			[{ ...inboundParams(phone, 'hi'), MessageSid: 'SM123' }, /MessageSid must be SM or MM followed by 32 lowercase hex digits/],
			[{ ...inboundParams(phone, 'hi'), MessageSid: `CA${'a'.repeat(32)}` }, /MessageSid must be SM or MM/],
			[(({ From: _f, ...rest }) => rest)(inboundParams(phone, 'hi')), /From is missing/],
			[{ ...inboundParams(phone, 'hi'), NumMedia: 'two' }, /NumMedia must be a whole number/],
			[{ ...inboundParams(phone, 'hi'), NumMedia: '1' }, /MediaUrl0 must be an http\(s\) URL \(NumMedia is 1\)/],
			[{ ...inboundParams(phone, 'hi'), NumMedia: '1', MediaUrl0: 'javascript:alert(1)' }, /MediaUrl0 must be an http\(s\) URL/],
			[
				{ ...inboundParams(phone, 'hi'), NumMedia: '2', MediaUrl0: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1' },
				/MediaUrl1 must be an http\(s\) URL \(NumMedia is 2\)/
			],
			[{ ...inboundParams(phone, 'hi'), From: 'not a number' }, /INVALID_PHONE: .*not a phone number/]
		];
		for (const [params, message] of cases) {
			const res = await post(SMS_PATHS.inbound, params);
			expect(res.status, String(message)).toBe(400);
			expect(await res.text()).toMatch(message);
		}
		const twice = await post(SMS_PATHS.inbound, { ...inboundParams(phone, 'hi'), Body: ['a', 'b'] });
		expect(await twice.text()).toMatch(/Body was sent more than once/);
		expect(await counts()).toEqual(before);
	});

	it('refuses a body over 64 KB with 413 before reading it as a text', async () => {
		const before = await counts();
		const res = await post(SMS_PATHS.inbound, { ...inboundParams(freshPhone(), 'hi'), Junk: 'x'.repeat(70 * 1024) });
		expect(res.status).toBe(413);
		expect(await counts()).toEqual(before);
	});

	it('keeps the archived text when publishing to hot state fails', async () => {
		const phone = freshPhone();
		const sid = messageSid();
		const broken: HotState = { ...hot, mutation: () => Promise.reject(new Error('hot state is down')) };
		const res = await inbound(phone, 'Are you there?', sid, { services: { ...services, hot: broken } });
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(EMPTY);
		expect((await messageBySid(sid))?.body).toBe('Are you there?');
		// The carrier's retry (same sid) repairs the hot copy without writing the archive again.
		const before = await counts();
		await inbound(phone, 'Are you there?', sid);
		expect(await counts()).toEqual(before);
		const recent = await hot.query(api.smsMessages.forThread, { threadKey: `${phone}|${OUR_NUMBER}` }, viewer);
		expect(recent.map((m) => m.messageSid)).toEqual([sid]);
	});
});

describe('POST /webhooks/twilio/sms/status', () => {
	async function sentMessage() {
		const phone = freshPhone();
		await inbound(phone, 'Please call me back');
		const thread = await threadOf(phone);
		const { message } = await sendAs(thread.id, 'We will call you at 3pm.');
		if (!message.messageSid) throw new Error('the carrier gave no sid');
		return { phone, sid: message.messageSid, threadKey: `${phone}|${OUR_NUMBER}`, threadId: thread.id };
	}
	const status = (sid: string, MessageStatus: string, extra: Record<string, string> = {}) =>
		post(SMS_PATHS.status, { AccountSid: TEST_ACCOUNT_SID, MessageSid: sid, MessageStatus, SmsStatus: MessageStatus, From: OUR_NUMBER, ...extra });

	it('moves a text forward only: delivered before sent leaves it delivered, live too', async () => {
		const { sid, threadKey, threadId } = await sentMessage();
		expect((await status(sid, 'delivered')).status).toBe(204);
		expect((await status(sid, 'sent')).status).toBe(204);
		expect((await status(sid, 'sending')).status).toBe(204);
		const row = await messageBySid(sid);
		expect(row).toMatchObject({ status: 'delivered', errorCode: null });
		expect(row?.deliveredAt).toBeInstanceOf(Date);
		const recent = await hot.query(api.smsMessages.forThread, { threadKey }, viewer);
		expect(recent.find((m) => m.messageSid === sid)?.state).toBe('delivered');
		await expect(announced({ threadId, kind: 'status' })).resolves.toBeTruthy();
	});

	it('applies each (MessageSid, MessageStatus) once', async () => {
		const { sid } = await sentMessage();
		expect((await status(sid, 'sent')).status).toBe(204);
		const before = await counts();
		const again = await status(sid, 'sent', { To: '+16285550000' });
		expect(again.status).toBe(204);
		expect(await counts()).toEqual(before);
		const [delivery] = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.dedupeKey, `sms.status:${sid}:sent`));
		expect(delivery?.kind).toBe('sms.status');
	});

	it('explains a failure and records 21610 in the ledger, once; the next send is refused', async () => {
		const { phone, sid, threadId } = await sentMessage();
		expect((await status(sid, 'failed', { ErrorCode: '21610', To: phone })).status).toBe(204);
		expect(await messageBySid(sid)).toMatchObject({ status: 'failed', errorCode: 21610, errorMessage: expect.stringMatching(/replied STOP/) });
		const entries = await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone));
		expect(entries).toMatchObject([{ action: 'opt_out', source: 'carrier_error', channel: 'sms', messageSid: sid }]);

		await status(sid, 'undelivered', { ErrorCode: '21610', To: phone });
		expect(await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone))).toHaveLength(1);
		const blocked = await refusal(sendAs(threadId, 'Hello again'));
		expect(blocked.code).toBe('DNC_BLOCKED');
		expect(blocked.message).toMatch(/unsubscribed at the carrier \(error 21610\)/);
	});

	it('records a 21610 for a sid it does not know from To; keeps other unknown sids for later instead of refusing them', async () => {
		const phone = freshPhone();
		const unknown = messageSid();
		const before = await counts();
		const res = await status(unknown, 'delivered');
		expect(res.status).toBe(204);
		expect(await counts()).toEqual({ ...before, deliveries: before.deliveries + 1 });
		expect(await t.db.select().from(smsEarlyStatuses).where(eq(smsEarlyStatuses.messageSid, unknown))).toMatchObject([
			{ messageStatus: 'delivered', errorCode: null }
		]);

		expect((await status(unknown, 'failed', { ErrorCode: '21610', To: phone })).status).toBe(204);
		expect(await t.db.select().from(consentLedger).where(eq(consentLedger.phone, phone))).toMatchObject([{ source: 'carrier_error' }]);
	});

	it('applies callbacks that arrive before the sid is stored once the dispatcher stores it, by rank', async () => {
		const phone = freshPhone();
		await inbound(phone, 'Text me the address');
		const thread = await threadOf(phone);
		const early: Response[] = [];
		// The carrier calls back before its REST answer reaches the dispatcher.
		const racing: DispatchTestDeps['telephony'] = {
			sendMessage: async (message) => {
				const ref = await telephony.sendMessage(message);
				early.push(await status(ref.sid, 'delivered'), await status(ref.sid, 'sent'));
				return ref;
			}
		};
		const result = await sendInThread(t.db, { jobs, hot, broadcast }, { threadId: thread.id, body: '1 Main St', actor: agent });
		const [outcome] = await dispatchAll({ db: t.db, telephony: racing, hot }, result.thread.ourPhone);
		expect(early.map((r) => r.status)).toEqual([204, 204]);
		if (outcome?.kind !== 'sent') throw new Error(`not sent: ${outcome?.kind}`);
		expect(await messageBySid(outcome.messageSid)).toMatchObject({ id: result.message.id, status: 'delivered' });
		expect(await t.db.select().from(smsEarlyStatuses).where(eq(smsEarlyStatuses.messageSid, outcome.messageSid))).toEqual([]);
		const recent = await hot.query(api.smsMessages.forThread, { threadKey: `${phone}|${OUR_NUMBER}` }, viewer);
		expect(recent.find((m) => m.messageSid === outcome.messageSid)?.state).toBe('delivered');
		// A retry of an early callback, now that the sid is known, changes nothing.
		expect((await status(outcome.messageSid, 'sent')).status).toBe(204);
		expect((await messageBySid(outcome.messageSid))?.status).toBe('delivered');
	});

	it('refuses forged callbacks with 403 and nonsense with 400, changing nothing', async () => {
		const { sid } = await sentMessage();
		const before = await counts();
		const forged = await post(SMS_PATHS.status, { MessageSid: sid, MessageStatus: 'delivered' }, { signature: 'Zm9yZ2Vk' });
		expect(forged.status).toBe(403);
		const bad = await status(sid, 'teleported');
		expect(bad.status).toBe(400);
		expect(await bad.text()).toMatch(/MessageStatus must be one of queued, sending/);
		const badCode = await status(sid, 'failed', { ErrorCode: 'oops' });
		expect(await badCode.text()).toMatch(/ErrorCode must be a Twilio error number/);
		expect(await counts()).toEqual(before);
		expect((await messageBySid(sid))?.status).toBe('queued');
	});
});
