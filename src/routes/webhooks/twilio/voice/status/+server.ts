/** Twilio voice webhook: call-progress status callbacks. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { callStatusWebhook } from '$lib/server/calls/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => callStatusWebhook(locals.services, request, url);
