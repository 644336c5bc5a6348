/** Twilio voice webhook: the caller left the queue. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { enqueueActionWebhook } from '$lib/server/calls/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => enqueueActionWebhook(locals.services, request, url);
