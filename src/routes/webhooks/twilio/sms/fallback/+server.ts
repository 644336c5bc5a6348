/** Twilio messaging fallback URL: the primary messaging webhook failed. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { smsFallbackWebhook } from '$lib/server/webhooks/fallback-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => smsFallbackWebhook(locals.services, request, url);
