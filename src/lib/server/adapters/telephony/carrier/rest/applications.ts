/** Applications: the TwiML App local softphones place calls through, fetched and updated (its voice settings only). */
import { rfc2822 } from '../local-carrier';
import { json, notFound } from './respond';
import { APPLICATION_PARAMS, settingsUpdate } from './settings';
import type { ApplicationView, Route } from './types';
import { sidSource } from '../../../../../phone-rules';
import { routePath } from './route-path';

const APPLICATION_PATH = routePath`Applications/(${sidSource('AP')})\.json`;

export function applicationResource(a: ApplicationView) {
	return {
		account_sid: a.accountSid,
		api_version: '2010-04-01',
		date_created: rfc2822(a.dateCreated),
		date_updated: rfc2822(a.dateUpdated),
		friendly_name: a.friendlyName,
		message_status_callback: '',
		sid: a.sid,
		sms_fallback_method: 'POST',
		sms_fallback_url: '',
		sms_method: 'POST',
		sms_status_callback: '',
		sms_url: '',
		status_callback: a.statusCallback,
		status_callback_method: a.statusCallbackMethod,
		uri: `/2010-04-01/Accounts/${a.accountSid}/Applications/${a.sid}.json`,
		voice_caller_id_lookup: false,
		voice_fallback_method: a.voiceFallbackMethod,
		voice_fallback_url: a.voiceFallbackUrl,
		voice_method: a.voiceMethod,
		voice_url: a.voiceUrl,
		public_application_connect_enabled: false
	};
}

export const applicationRoutes: Route[] = [
	{
		method: 'GET',
		path: APPLICATION_PATH,
		handle: (ctx, [sid]) => (ctx.options.numbers ? json(200, applicationResource(ctx.options.numbers.getApplication(sid!))) : notFound(ctx))
	},
	{
		method: 'POST',
		path: APPLICATION_PATH,
		handle: (ctx, [sid]) => {
			const api = ctx.options.numbers;
			if (!api) return notFound(ctx);
			api.getApplication(sid!);
			const parsed = settingsUpdate(ctx.form, (name) => APPLICATION_PARAMS.has(name));
			if ('refused' in parsed) return parsed.refused;
			return json(200, applicationResource(api.updateApplication(sid!, parsed.update)));
		}
	}
];
