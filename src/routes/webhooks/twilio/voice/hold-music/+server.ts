/** A held conference participant's holdUrl: our hold music, looped. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { holdMusicWebhook } from '$lib/server/call-control/webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => holdMusicWebhook(locals.services, request, url);
