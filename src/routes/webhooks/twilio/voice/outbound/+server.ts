/** Twilio voice webhook: the TwiML App's voice URL, an agent's softphone placing a call. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { outboundCallWebhook } from '$lib/server/outbound/outbound-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => outboundCallWebhook(locals.services, request, url);
