/** Twilio voice webhook: a live transcription's events. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { transcriptionWebhook } from '$lib/server/calls/live-transcription-webhook';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => transcriptionWebhook(locals.services, request, url);
