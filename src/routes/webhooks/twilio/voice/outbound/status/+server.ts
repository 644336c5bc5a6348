/** Twilio voice webhook: progress of the dialled customer's leg of an outbound call. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { outboundStatusWebhook } from '$lib/server/outbound/outbound-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => outboundStatusWebhook(locals.services, request, url);
