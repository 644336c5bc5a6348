/**
 * A customer's text, as the inbound webhook hands it over (signature already checked): archived
 * first, once per MessageSid, then read as a keyword (Advanced Opt-Out's `OptOutType` first, so
 * a Messaging Service's custom keywords count). STOP-style keywords write the consent ledger in
 * the same transaction; the result carries the reply the webhook should answer with (TwiML
 * `<Message>` body), or null for no reply.
 *
 * By default Twilio answers STOP, HELP and START itself and blocks the pair after STOP, so
 * Switchboard stays silent on keywords: a second reply after STOP fails with 21610. Only an
 * account that turned Twilio's replies off sets `replyToKeywords`.
 *
 * Opt-ins only count when the number is opted out: "Yes" is an ordinary answer from anyone else.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { MESSAGE_SID } from '../../phone-rules';
import { checkConsent } from '../compliance/check-consent';
import { classifyInbound, type KeywordMatch } from '../compliance/classify-keyword';
import { recordConsent } from '../compliance/record-consent';
import { normalizePhone } from '../crm/normalize-phone';
import type { Db, Tx } from '../db/client';
import { smsAttachments, smsMessages, smsThreads } from '../db/schema/sms';
import { SMS_BODY_MAX } from '../../sms/limits';
import { badRequest } from '../errors';
import { toMessageView, toThreadView, type SmsMessageView, type SmsThreadView } from './message-view';
import type { MmsMediaQueue } from './fetch-mms-media';
import { appendMessage, findOrCreateThread } from './record-message';

export const ZInboundSms = z.object({
	messageSid: z.string().regex(MESSAGE_SID, { error: 'MessageSid must be SM or MM followed by 32 hex digits.' }),
	from: z.string().min(1).max(40),
	to: z.string().min(1).max(40),
	// Twilio sends at most 1600; a longer body from elsewhere is cut rather than lost.
	body: z.string().transform((b) => b.slice(0, SMS_BODY_MAX)),
	media: z
		.array(z.object({ url: z.url(), contentType: z.string().max(200) }))
		.max(10)
		.default([]),
	numSegments: z.number().int().min(1).max(100).default(1),
	/** Twilio's `OptOutType` (STOP, START, HELP), sent only with Advanced Opt-Out on a Messaging Service. */
	optOutType: z.string().max(16).nullish(),
	receivedAt: z.date().optional()
});
export type InboundSms = z.input<typeof ZInboundSms>;

export interface ReceiveOptions {
	/** The business name in automatic replies. */
	company: string;
	/** Where an MMS's `fetch-mms-media` job is queued; needed only when the message has media. */
	jobs?: MmsMediaQueue;
	/** Answer keywords ourselves; only when Twilio's own STOP/HELP/START replies are turned off. Default false. */
	replyToKeywords?: boolean;
}

export interface ReceiveResult {
	/** True when this MessageSid was archived before (a webhook retry): nothing was written. */
	duplicate: boolean;
	message: SmsMessageView;
	thread: SmsThreadView;
	keyword: KeywordMatch;
	/** What the ledger did: an opt-out/opt-in entry id, or null. */
	consentEntryId: number | null;
	/** Body of the reply the webhook returns as `<Message>`, or null for an empty `<Response/>`. */
	reply: string | null;
}

export const replies = {
	optOut: (company: string) =>
		`You are unsubscribed from ${company} texts and will receive no more messages. Reply START to resubscribe.`,
	optIn: (company: string) => `You are resubscribed to ${company} texts. Reply STOP to unsubscribe, HELP for help.`,
	help: (company: string) =>
		`${company}: reply to this message to reach our team. Reply STOP to unsubscribe, START to resubscribe.`
};

type ParsedSms = z.output<typeof ZInboundSms>;
type Thread = Awaited<ReturnType<typeof findOrCreateThread>>;
type MessageRow = typeof smsMessages.$inferSelect;
/** Who texted whom, and what the text says as a keyword. */
interface Inbound {
	sms: ParsedSms;
	customerPhone: string;
	ourPhone: string;
	keyword: KeywordMatch;
}

/** A retry of an archived MessageSid: answer as before, write nothing. */
async function answerRetry(tx: Tx, inbound: Inbound, thread: Thread, company: string): Promise<ReceiveResult> {
	const { sms, keyword } = inbound;
	const [existing] = await tx.select().from(smsMessages).where(eq(smsMessages.messageSid, sms.messageSid));
	if (!existing) throw new Error('duplicate message sid without a row');
	const consent = await checkConsent(tx, { phone: inbound.customerPhone, channel: 'sms' });
	const reply =
		keyword?.kind === 'opt_out'
			? replies.optOut(company)
			: keyword?.kind === 'help'
				? replies.help(company)
				: keyword?.kind === 'opt_in' && consent.entry?.messageSid === sms.messageSid
					? replies.optIn(company)
					: null;
	return {
		duplicate: true,
		message: toMessageView(existing),
		thread: toThreadView(thread),
		keyword,
		consentEntryId: null,
		reply
	};
}

/** Pending until the job has them in storage; the webhook never waits on the carrier's media host. */
async function queueMediaFetch(tx: Tx, jobs: MmsMediaQueue, row: MessageRow, media: ParsedSms['media']): Promise<void> {
	await tx.insert(smsAttachments).values(
		media.map((m, index) => ({ messageId: row.id, index, sourceUrl: m.url, contentType: m.contentType.toLowerCase() }))
	);
	await jobs.enqueue(tx, 'fetch-mms-media', { messageId: row.id });
}

/** What a keyword does: STOP-style opts out of everything, START-style opts back in to SMS (only when opted out), HELP only replies. */
async function applyKeyword(
	tx: Tx,
	inbound: Inbound,
	row: MessageRow,
	company: string
): Promise<Pick<ReceiveResult, 'consentEntryId' | 'reply'>> {
	const { keyword, customerPhone, ourPhone, sms } = inbound;
	const ledgerEntry = (k: NonNullable<KeywordMatch>) => ({
		phone: customerPhone,
		source: 'keyword' as const,
		keyword: k.keyword,
		messageSid: sms.messageSid,
		reason: `Texted ${k.keyword} to ${ourPhone}.`,
		occurredAt: row.createdAt
	});
	if (keyword?.kind === 'opt_out') {
		const entry = await recordConsent(tx, { ...ledgerEntry(keyword), channel: 'all', action: 'opt_out' });
		return { consentEntryId: entry.id, reply: replies.optOut(company) };
	}
	if (keyword?.kind === 'opt_in') {
		const consent = await checkConsent(tx, { phone: customerPhone, channel: 'sms' });
		if (consent.state !== 'opted_out') return { consentEntryId: null, reply: null };
		const entry = await recordConsent(tx, { ...ledgerEntry(keyword), channel: 'sms', action: 'opt_in' });
		return { consentEntryId: entry.id, reply: replies.optIn(company) };
	}
	return { consentEntryId: null, reply: keyword?.kind === 'help' ? replies.help(company) : null };
}

export async function receiveInboundSms(db: Db, input: InboundSms, options: ReceiveOptions): Promise<ReceiveResult> {
	const parsed = ZInboundSms.safeParse(input);
	if (!parsed.success) throw badRequest('INVALID_INBOUND_SMS', parsed.error.issues[0]?.message ?? 'Invalid inbound message.');
	const sms = parsed.data;
	const inbound: Inbound = { sms, customerPhone: normalizePhone(sms.from).e164, ourPhone: normalizePhone(sms.to).e164, keyword: classifyInbound(sms.body, sms.optOutType) };
	// Twilio answers keywords itself unless the account turned that off: a second reply after STOP fails (21610).
	const silenced = (result: ReceiveResult): ReceiveResult => (options.replyToKeywords || !result.keyword ? result : { ...result, reply: null });

	const { jobs } = options;
	if (sms.media.length > 0 && !jobs) throw new Error('receiveInboundSms: an MMS needs options.jobs to fetch its media');

	return db.transaction(async (tx) => {
		const thread = await findOrCreateThread(tx, inbound.customerPhone, inbound.ourPhone);
		const row = await appendMessage(tx, {
			thread,
			messageSid: sms.messageSid,
			direction: 'inbound',
			body: sms.body,
			status: 'received',
			media: sms.media,
			numSegments: sms.numSegments,
			at: sms.receivedAt
		});
		if (!row) return silenced(await answerRetry(tx, inbound, thread, options.company));
		if (sms.media.length > 0 && jobs) await queueMediaFetch(tx, jobs, row, sms.media);
		const { consentEntryId, reply } = await applyKeyword(tx, inbound, row, options.company);
		const [fresh] = await tx.select().from(smsThreads).where(eq(smsThreads.id, thread.id));
		return silenced({
			duplicate: false,
			message: toMessageView(row),
			thread: toThreadView(fresh ?? thread),
			keyword: inbound.keyword,
			consentEntryId,
			reply
		});
	});
}
