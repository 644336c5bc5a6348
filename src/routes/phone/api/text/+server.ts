/** The customer phone sends a text; the page follows its delivery over the event stream. */
import { errorMessage } from '$lib/errors';
import { z } from 'zod';
import { logger } from '$lib/server/log';
import { badRequest } from '$lib/server/http/bad-request';
import { json, problem } from '$lib/server/http/responses';
import { localCarrier } from '../../phone-state.server';
import { E164 } from '$lib/phone-rules';
import { SMS_BODY_MAX } from '$lib/sms/limits';
import { PHONE_ATTACHMENT_MAX_BYTES, PHONE_ATTACHMENT_TYPES } from '../../phone-types';
import type { RequestHandler } from './$types';

const ZPhone = z.string().trim().regex(E164, 'use an E.164 number such as +14155550100');
const ZAttachment = z.object({
	contentType: z.enum(PHONE_ATTACHMENT_TYPES, { error: `attach a ${PHONE_ATTACHMENT_TYPES.join(', ')} picture` }),
	data: z
		.base64({ error: 'the picture must be base64' })
		.max(Math.ceil(PHONE_ATTACHMENT_MAX_BYTES / 3) * 4, { error: `the picture must be at most ${PHONE_ATTACHMENT_MAX_BYTES / 1_000_000} MB` })
});
const ZTextRequest = z
	.object({ from: ZPhone, to: ZPhone, body: z.string().trim().max(SMS_BODY_MAX), attachment: ZAttachment.optional() })
	.refine((t) => t.body !== '' || t.attachment, { path: ['body'], error: 'write a message or attach a picture' });

export const POST: RequestHandler = async ({ request, locals }) => {
	const carrier = localCarrier(locals.services);
	if (!carrier) return problem(404, 'NOT_LOCAL', 'The customer phone exists only with TELEPHONY=local.');
	const parsed = ZTextRequest.safeParse(await request.json().catch(() => null));
	if (!parsed.success) return badRequest(parsed.error.issues);
	const { from, to, body, attachment } = parsed.data;
	// The carrier keeps the picture and hands Switchboard its MediaUrl, as Twilio does.
	const attachments = attachment ? [{ contentType: attachment.contentType, body: Uint8Array.from(Buffer.from(attachment.data, 'base64')) }] : [];
	// The carrier records the text at once and resolves after Switchboard's webhook answered; the stream shows both.
	carrier.engine.phone(from).text(to, body, [], attachments).catch((error: unknown) => {
		logger('phone').error('customer phone text failed', { error: errorMessage(error) });
	});
	return json({ ok: true }, 202);
};
