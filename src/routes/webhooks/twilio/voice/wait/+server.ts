/** Twilio voice webhook: the hold loop while a caller waits in a queue. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { getServices } from '$lib/server/services';
import { queueWaitWebhook } from '$lib/server/voice/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url }) => queueWaitWebhook(await getServices(), request, url);
