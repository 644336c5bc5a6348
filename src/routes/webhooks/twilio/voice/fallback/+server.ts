/** Twilio voice fallback URL: the primary voice webhook failed. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { getServices } from '$lib/server/services';
import { voiceFallbackWebhook } from '$lib/server/webhooks/fallback-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url }) => voiceFallbackWebhook(await getServices(), request, url);
