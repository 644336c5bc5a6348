/** Twilio voice webhook: the recording notice the customer hears on answering an outbound call. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { outboundNoticeWebhook } from '$lib/server/outbound/outbound-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => outboundNoticeWebhook(locals.services, request, url);
