/**
 * The messaging webhooks' parameter sets as zod schemas (Twilio's messaging webhook reference: inbound message and status callback parameters). Only the
 * fields Switchboard uses are read; the rest (geo fields, the deprecated SmsSid...) pass the
 * signature check and are dropped. Messages name the field first, so the 400 says what to fix.
 * `From`/`To` stay free text here: the domain normalizes them and answers INVALID_PHONE.
 */
import { z } from 'zod';
import { sidPattern } from '../../phone-rules';
import type { SmsMedia } from '../db/schema/sms';
import { SMS_BODY_MAX } from '../../sms/limits';

/** Twilio's sids are a two-letter prefix and 32 lowercase hex digits. */
const sid = (prefixes: readonly string[], name: string) =>
	z.string().regex(sidPattern(prefixes), `${name} must be ${prefixes.join(' or ')} followed by 32 lowercase hex digits`);

const ZMessageSid = sid(['SM', 'MM'], 'MessageSid');
const ZAccountSid = sid(['AC'], 'AccountSid');

const phoneField = (name: string) =>
	z
		.string()
		.min(1, `${name} is empty; it must be a phone number`)
		.max(40, `${name} is longer than 40 characters; it must be a phone number`);

const count = (name: string, min: number, max: number) =>
	z.coerce
		.number({ error: `${name} must be a whole number` })
		.int(`${name} must be a whole number`)
		.min(min, `${name} must be at least ${min}`)
		.max(max, `${name} must be at most ${max}`);

/** Twilio attaches at most 10 media files to one MMS. */
export const MAX_MEDIA = 10;

const ZBody = z
	.string()
	.max(SMS_BODY_MAX, {
		error: (issue) =>
			`Body is ${typeof issue.input === 'string' ? issue.input.length.toLocaleString('en-US') : 'too many'} characters; a text is at most ${SMS_BODY_MAX.toLocaleString('en-US')}`
	})
	// An MMS may carry media only.
	.default('');

const isHttpUrl = (value: unknown): value is string => {
	if (typeof value !== 'string' || value.length > 2048) return false;
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
};

/** POST /webhooks/twilio/sms: a text to a Switchboard number. `media` gathers MediaUrl{N}/MediaContentType{N}. */
export const ZInboundSmsRequest = z
	.looseObject({
		MessageSid: ZMessageSid,
		AccountSid: ZAccountSid.optional(),
		MessagingServiceSid: sid(['MG'], 'MessagingServiceSid').optional(),
		From: phoneField('From'),
		To: phoneField('To'),
		Body: ZBody,
		NumMedia: count('NumMedia', 0, MAX_MEDIA).default(0),
		NumSegments: count('NumSegments', 1, 100).default(1),
		/** Only with Advanced Opt-Out on a Messaging Service; the body's keyword decides either way. */
		OptOutType: z.string().max(16).optional()
	})
	.superRefine((p, ctx) => {
		for (let n = 0; n < p.NumMedia; n++) {
			const field = `MediaUrl${n}`;
			if (!isHttpUrl(p[field])) {
				ctx.addIssue({ code: 'custom', path: [field], message: `${field} must be an http(s) URL (NumMedia is ${p.NumMedia})` });
			}
		}
	})
	.transform((p) => {
		const media: SmsMedia[] = [];
		for (let n = 0; n < p.NumMedia; n++) {
			const type = p[`MediaContentType${n}`];
			media.push({
				url: String(p[`MediaUrl${n}`]),
				contentType: typeof type === 'string' && type.length <= 200 ? type : 'application/octet-stream'
			});
		}
		return {
			MessageSid: p.MessageSid,
			AccountSid: p.AccountSid,
			MessagingServiceSid: p.MessagingServiceSid,
			From: p.From,
			To: p.To,
			Body: p.Body,
			NumSegments: p.NumSegments,
			OptOutType: p.OptOutType,
			media
		};
	});
export type TInboundSmsRequest = z.output<typeof ZInboundSmsRequest>;

export const MESSAGE_STATUSES = [
	'queued',
	'sending',
	'sent',
	'delivered',
	'undelivered',
	'failed',
	'receiving',
	'received',
	'accepted',
	'scheduled',
	'read',
	'canceled'
] as const;

/** POST /webhooks/twilio/sms/status: an outbound text moved on. `ErrorCode` comes with failed/undelivered. */
export const ZSmsStatusCallback = z.object({
	MessageSid: ZMessageSid,
	AccountSid: ZAccountSid.optional(),
	MessageStatus: z.enum(MESSAGE_STATUSES, { error: `MessageStatus must be one of ${MESSAGE_STATUSES.join(', ')}` }),
	ErrorCode: z
		.string()
		.regex(/^\d{0,6}$/, 'ErrorCode must be a Twilio error number')
		.optional()
		.transform((code) => (code ? Number(code) : undefined)),
	From: z.string().max(40).optional(),
	To: z.string().max(40).optional()
});
export type TSmsStatusCallback = z.output<typeof ZSmsStatusCallback>;
