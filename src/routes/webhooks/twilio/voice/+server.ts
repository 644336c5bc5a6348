/** Twilio voice webhook: a call to a Switchboard number. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { incomingCallWebhook } from '$lib/server/calls/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => incomingCallWebhook(locals.services, request, url);
