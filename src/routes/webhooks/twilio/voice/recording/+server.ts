/** Twilio voice webhook: recording status callbacks. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { getServices } from '$lib/server/services';
import { recordingStatusWebhook } from '$lib/server/voice/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url }) => recordingStatusWebhook(await getServices(), request, url);
