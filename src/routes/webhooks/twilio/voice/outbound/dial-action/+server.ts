/** Twilio voice webhook: the end of an outbound call's Dial. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { outboundDialActionWebhook } from '$lib/server/outbound/outbound-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => outboundDialActionWebhook(locals.services, request, url);
