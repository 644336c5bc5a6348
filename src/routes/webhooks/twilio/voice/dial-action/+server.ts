/** Twilio voice webhook: the agent Dial's action. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { getServices } from '$lib/server/services';
import { dialActionWebhook } from '$lib/server/voice/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url }) => dialActionWebhook(await getServices(), request, url);
