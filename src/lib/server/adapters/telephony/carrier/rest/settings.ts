/** The form of an IncomingPhoneNumbers or Applications update, checked whole before anything is written. */
import { sidPattern } from '../../../../../phone-rules';
import { json, notFound, restError } from './respond';
import type { NumberRest, NumberSettings, RestResponse, Route } from './types';

/** Form parameter -> settings field, for IncomingPhoneNumbers and Applications updates. */
const URL_PARAMS = {
	VoiceUrl: 'voiceUrl',
	VoiceFallbackUrl: 'voiceFallbackUrl',
	StatusCallback: 'statusCallback',
	SmsUrl: 'smsUrl',
	SmsFallbackUrl: 'smsFallbackUrl'
} as const satisfies Record<string, keyof NumberSettings>;
const METHOD_PARAMS = {
	VoiceMethod: 'voiceMethod',
	VoiceFallbackMethod: 'voiceFallbackMethod',
	StatusCallbackMethod: 'statusCallbackMethod',
	SmsMethod: 'smsMethod',
	SmsFallbackMethod: 'smsFallbackMethod'
} as const satisfies Record<string, keyof NumberSettings>;
/** A number's attachments ('' detaches), numbers only. */
const SID_PARAMS = [
	['VoiceApplicationSid', 'voiceApplicationSid', 'AP'],
	['SmsApplicationSid', 'smsApplicationSid', 'AP'],
	['TrunkSid', 'trunkSid', 'TK']
] as const;
export const APPLICATION_PARAMS = new Set(['FriendlyName', 'VoiceUrl', 'VoiceMethod', 'VoiceFallbackUrl', 'VoiceFallbackMethod', 'StatusCallback', 'StatusCallbackMethod']);

/**
 * A number's (or application's) update from its form, checked whole before anything is
 * written: Twilio's 21402 for a URL that is not absolute http(s), 21403 for a method other than
 * GET or POST, each naming the parameter. An empty URL clears it, as in Twilio.
 */
export function settingsUpdate(form: URLSearchParams, allowed: (name: string) => boolean): { update: Partial<NumberSettings> } | { refused: RestResponse } {
	const update: Partial<NumberSettings> = {};
	for (const [param, field] of Object.entries(URL_PARAMS)) {
		const value = form.get(param);
		if (value === null || !allowed(param)) continue;
		if (value !== '') {
			const url = URL.canParse(value) ? new URL(value) : null;
			if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
				return { refused: restError(400, 21402, `${param} is not a valid URL: ${JSON.stringify(value)}. Use a fully qualified http:// or https:// URL.`) };
			}
		}
		update[field] = value;
	}
	for (const [param, field] of Object.entries(METHOD_PARAMS)) {
		const value = form.get(param);
		if (value === null || !allowed(param)) continue;
		const upper = value.toUpperCase();
		if (upper !== 'GET' && upper !== 'POST') return { refused: restError(400, 21403, `${param} must be GET or POST, not ${JSON.stringify(value)}.`) };
		update[field] = upper;
	}
	for (const [param, field, prefix] of SID_PARAMS) {
		const value = form.get(param);
		if (value === null || !allowed(param)) continue;
		if (value !== '' && !sidPattern(prefix).test(value)) return { refused: restError(400, 21401, `${param} is not a valid ${prefix} SID: ${JSON.stringify(value)}.`) };
		update[field] = value;
	}
	const name = form.get('FriendlyName');
	if (name !== null) update.friendlyName = name;
	return { update };
}

/** How one settings resource (a number, the TwiML App) is read, updated and shown. */
export interface SettingsResource<View> {
	get(api: NumberRest, sid: string): View;
	update(api: NumberRest, sid: string, update: Partial<NumberSettings>): View;
	show(view: View): unknown;
	/** Which form parameters the resource takes; the others are ignored, as Twilio ignores them. */
	allowed: (param: string) => boolean;
}

/**
 * GET and POST of one settings resource at `path` (its SID the first group), Twilio's 404 when
 * the carrier runs without the engine's numbers. The POST looks the SID up first, so an unknown
 * SID is a 20404 before any validation message.
 */
export function settingsRoutes<View>(path: RegExp, resource: SettingsResource<View>): Route[] {
	return [
		{ method: 'GET', path, handle: (ctx, [sid]) => (ctx.options.numbers ? json(200, resource.show(resource.get(ctx.options.numbers, sid!))) : notFound(ctx)) },
		{
			method: 'POST',
			path,
			handle: (ctx, [sid]) => {
				const api = ctx.options.numbers;
				if (!api) return notFound(ctx);
				resource.get(api, sid!);
				const parsed = settingsUpdate(ctx.form, resource.allowed);
				if ('refused' in parsed) return parsed.refused;
				return json(200, resource.show(resource.update(api, sid!, parsed.update)));
			}
		}
	];
}
