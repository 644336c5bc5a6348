/** Twilio voice webhook: the agent Dial's action. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { dialActionWebhook } from '$lib/server/calls/voice-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => dialActionWebhook(locals.services, request, url);
