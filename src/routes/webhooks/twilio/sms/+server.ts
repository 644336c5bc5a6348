/** Twilio messaging webhook: a text to a Switchboard number. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { inboundSmsWebhook } from '$lib/server/sms/sms-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => inboundSmsWebhook(locals.services, request, url);
