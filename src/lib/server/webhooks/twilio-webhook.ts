/**
 * One function runs the shared steps of every Twilio webhook, so each route stays a few lines:
 * verify the signature (403) -> parse with zod (400 with the fields at fault, worded by
 * http/bad-request.ts) -> the route's domain handler. A refusal the domain throws (AppError) becomes a 4xx with its message; an
 * unexpected failure is logged and answered by the route's `onError` (voice routes return
 * TwiML that keeps the caller in the system) or a 500.
 */
import { errorDetail } from '../../errors';
import type { z } from 'zod';
import type { TelephonyPort } from '../adapters/telephony/port';
import type { Config } from '../env';
import { AppError, HTTP_STATUS_BY_KIND } from '../errors';
import { describeIssues } from '../http/bad-request';
import { logger } from '../log';
import { textResponse } from './responses';
import { verifyTwilioRequest, type TwilioParams } from './verify-twilio-request';

export interface WebhookEnv {
	config: Pick<Config, 'publicBaseUrl'>;
	adapters: { telephony: Pick<TelephonyPort, 'validateWebhook' | 'accountSid'> };
}

export interface WebhookContext {
	request: Request;
	url: URL;
	/** The raw verified form, for handlers that keep the whole payload. */
	params: TwilioParams;
}

export interface TwilioWebhookSpec<S extends z.ZodType> {
	/** For logs, e.g. `voice.incoming`. */
	name: string;
	schema: S;
	handle(input: z.output<S>, ctx: WebhookContext): Promise<Response>;
	/** The answer when `handle` fails unexpectedly; a 500 without it. */
	onError?(error: unknown, input: z.output<S>): Response;
}

const log = logger('webhooks');

/**
 * PostgreSQL text and jsonb cannot hold U+0000, which signed form data can (a caller ID, a
 * text's body): each becomes U+FFFD once the signature is checked, so the delivery is archived
 * with a visible mark instead of failing its statement (and, spooled, its every replay).
 */
export function withoutNul(params: TwilioParams): TwilioParams {
	const clean = (v: string) => (v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v);
	return Object.fromEntries(Object.entries(params).map(([name, value]) => [clean(name), Array.isArray(value) ? value.map(clean) : clean(value)]));
}

export async function twilioWebhook<S extends z.ZodType>(
	request: Request,
	url: URL,
	env: WebhookEnv,
	spec: TwilioWebhookSpec<S>
): Promise<Response> {
	const verified = await verifyTwilioRequest({ request, url, config: env.config, telephony: env.adapters.telephony });
	if (verified instanceof Response) return verified;
	const params = withoutNul(verified);
	if (typeof params.AccountSid === 'string' && params.AccountSid !== env.adapters.telephony.accountSid) {
		return textResponse(403, 'AccountSid does not belong to this Switchboard.');
	}
	const parsed = spec.schema.safeParse(params, { reportInput: true });
	if (!parsed.success) return textResponse(400, `Invalid ${spec.name} webhook: ${describeIssues(parsed.error.issues)}.`);
	try {
		return await spec.handle(parsed.data, { request, url, params });
	} catch (error) {
		if (error instanceof AppError) return textResponse(HTTP_STATUS_BY_KIND[error.kind], `${error.code}: ${error.message}`);
		log.error(`${spec.name} webhook failed`, { error: errorDetail(error) });
		return spec.onError ? spec.onError(error, parsed.data) : textResponse(500, 'Switchboard could not handle this webhook.');
	}
}
