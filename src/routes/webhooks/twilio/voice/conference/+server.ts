/** Twilio conference status callbacks for calls under call control. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { conferenceWebhook } from '$lib/server/call-control/webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => conferenceWebhook(locals.services, request, url);
