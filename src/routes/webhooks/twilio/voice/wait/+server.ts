/** Twilio voice webhook: the hold loop while a caller waits in a queue. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { queueWaitWebhook } from '$lib/server/calls/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => queueWaitWebhook(locals.services, request, url);
