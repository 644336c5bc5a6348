/** Twilio voice webhook: recording status callbacks. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { recordingStatusWebhook } from '$lib/server/calls/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => recordingStatusWebhook(locals.services, request, url);
