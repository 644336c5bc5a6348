/** Applications: the TwiML App local softphones place calls through, fetched and updated (its voice settings only). */
import { rfc2822 } from '../local-carrier';
import { APPLICATION_PARAMS, settingsRoutes } from './settings';
import type { ApplicationView, Route } from './types';
import { sidSource } from '../../../../../phone-rules';
import { routePath } from './route-path';

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

export const applicationRoutes: Route[] = settingsRoutes(routePath`Applications/(${sidSource('AP')})\.json`, {
	get: (api, sid) => api.getApplication(sid),
	update: (api, sid, update) => api.updateApplication(sid, update),
	show: applicationResource,
	allowed: (param) => APPLICATION_PARAMS.has(param)
});
