/** Twilio voice webhook: the voicemail Record action. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { voicemailDoneWebhook } from '$lib/server/calls/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => voicemailDoneWebhook(locals.services, request, url);
