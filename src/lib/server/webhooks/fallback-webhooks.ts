/**
 * The number's fallback URLs: Twilio requests them (the primary's parameters plus `ErrorCode`
 * and `ErrorUrl`) when the primary voice or messaging webhook failed, timed out or answered
 * TwiML it could not parse. They run when Switchboard itself is in trouble, so after the shared
 * signature check they touch no archive, hot state or jobs: they spool the verified payload to
 * disk (spool.ts), which replay-spool.ts archives once the database is back, so the text (a STOP
 * included) or the call is not lost. The answer is a fixed document: an apology and a hangup
 * for a call, an empty `<Response/>` for a text.
 */
import { z } from 'zod';
import { MESSAGE_SID, sidPattern } from '../../phone-rules';
import { messagingReplyTwiml } from '../sms/messaging-twiml';
import { hangup, response, say } from '../calls/twiml';
import type { Config } from '../env';
import { logger } from '../log';
import { twimlResponse } from './responses';
import { spoolDelivery, spoolDir, type SpoolKind } from './spool';
import { twilioWebhook, type WebhookEnv } from './twilio-webhook';
import type { TwilioParams } from './verify-twilio-request';

/** The fallback routes also need DATA_DIR, for the spool. */
export type FallbackEnv = WebhookEnv & { config: Pick<Config, 'publicBaseUrl' | 'dataDir'> };

export const FALLBACK_PATHS = { voice: '/webhooks/twilio/voice/fallback', sms: '/webhooks/twilio/sms/fallback' } as const;

export const FALLBACK_APOLOGY = 'Sorry, we cannot take your call right now because of a technical problem. Please call again later.';
/** What a caller hears when our primary voice webhook failed. */
export const VOICE_FALLBACK_TWIML = response(say(FALLBACK_APOLOGY), hangup());
/** A text whose primary webhook failed gets no reply (Twilio already holds the message). */
export const SMS_FALLBACK_TWIML = messagingReplyTwiml(null);

const log = logger('webhooks');

/** Only what the log line needs; everything else passed the signature check and is dropped. */
const failure = {
	/** Twilio's error number, e.g. 11200 (retrieval), 11205 (connection), 12100 (TwiML parse). */
	ErrorCode: z.string().regex(/^\d{1,6}$/, 'ErrorCode must be a Twilio error number').optional(),
	ErrorUrl: z.string().max(2048).optional()
};
const ZVoiceFallback = z.object({ CallSid: z.string().regex(sidPattern('CA', { anyCase: true }), 'CallSid must be CA followed by 32 hex digits'), ...failure });
const ZSmsFallback = z.object({ MessageSid: z.string().regex(MESSAGE_SID, 'MessageSid must be SM or MM followed by 32 lowercase hex digits'), ...failure });

/** `ErrorUrl` without its query string or fragment: those may carry tokens, and the path says which webhook failed. */
export function describeErrorUrl(errorUrl: string | undefined): string | null {
	if (!errorUrl) return null;
	try {
		const url = new URL(errorUrl);
		return `${url.origin}${url.pathname}`;
	} catch {
		return '(not a URL)';
	}
}

function logFallback(kind: 'voice' | 'sms', sid: Record<string, string>, input: { ErrorCode?: string; ErrorUrl?: string }): void {
	log.error(`${kind} fallback answered: the primary ${kind} webhook failed`, {
		...sid,
		errorCode: input.ErrorCode ? Number(input.ErrorCode) : null,
		errorUrl: describeErrorUrl(input.ErrorUrl)
	});
}

/** Keep the delivery for replay; a failure is logged, never changes the answer (Twilio does not retry a fallback). */
async function spool(env: FallbackEnv, kind: SpoolKind, sid: string, params: TwilioParams): Promise<void> {
	try {
		await spoolDelivery(spoolDir(env.config), { kind, sid, receivedAt: new Date().toISOString(), params });
	} catch (error) {
		log.error(`${kind} fallback: could not spool the delivery; it is lost`, { sid, error: String(error) });
	}
}

/** POST /webhooks/twilio/voice/fallback: the voice URL failed; apologise and hang up. */
export function voiceFallbackWebhook(env: FallbackEnv, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, env, {
		name: 'voice.fallback',
		schema: ZVoiceFallback,
		handle: async (call, ctx) => {
			logFallback('voice', { callSid: call.CallSid }, call);
			await spool(env, 'voice.incoming', call.CallSid, ctx.params);
			return twimlResponse(VOICE_FALLBACK_TWIML);
		},
		onError: () => twimlResponse(VOICE_FALLBACK_TWIML)
	});
}

/** POST /webhooks/twilio/sms/fallback: the messaging URL failed; accept the text with no reply. */
export function smsFallbackWebhook(env: FallbackEnv, request: Request, url: URL): Promise<Response> {
	return twilioWebhook(request, url, env, {
		name: 'sms.fallback',
		schema: ZSmsFallback,
		handle: async (sms, ctx) => {
			logFallback('sms', { messageSid: sms.MessageSid }, sms);
			await spool(env, 'sms.inbound', sms.MessageSid, ctx.params);
			return twimlResponse(SMS_FALLBACK_TWIML);
		},
		onError: () => twimlResponse(SMS_FALLBACK_TWIML)
	});
}
