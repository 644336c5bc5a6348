/** Twilio voice fallback URL: the primary voice webhook failed. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { voiceFallbackWebhook } from '$lib/server/webhooks/fallback-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => voiceFallbackWebhook(locals.services, request, url);
