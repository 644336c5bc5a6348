/** Twilio voice webhook: `<Dial><Queue url>`, run on the caller's leg as an agent's pickup bridges it. Signed by the carrier. */
import { queueBridgeWebhook } from '$lib/server/calls/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => queueBridgeWebhook(locals.services, request, url);
