/** Twilio messaging status callback for texts Switchboard sent. Signed by the carrier; no session, no CSRF origin (hooks skip /webhooks). */
import { smsStatusWebhook } from '$lib/server/sms/sms-webhooks';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ request, url, locals }) => smsStatusWebhook(locals.services, request, url);
