/** Twilio voice webhook: `<Dial><Queue url>`, run on the caller's leg as an agent's pickup bridges it. Signed by the carrier. */
import { getServices } from '$lib/server/services';
import { queueBridgeWebhook } from '$lib/server/voice/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url }) => queueBridgeWebhook(await getServices(), request, url);
