/** IncomingPhoneNumbers: list the account's numbers (`PhoneNumber` filter with `*`), fetch one, update its settings. */
import { rfc2822 } from '../local-carrier';
import { json, notFound, page } from './respond';
import { settingsRoutes } from './settings';
import type { PhoneNumberView, Route } from './types';
import { sidSource } from '../../../../../phone-rules';
import { routePath } from './route-path';

export function phoneNumberResource(n: PhoneNumberView) {
	const uri = `/2010-04-01/Accounts/${n.accountSid}/IncomingPhoneNumbers/${n.sid}`;
	return {
		account_sid: n.accountSid,
		address_requirements: 'none',
		address_sid: null,
		api_version: '2010-04-01',
		beta: false,
		bundle_sid: null,
		capabilities: { voice: true, sms: n.smsCapable ?? true, mms: n.smsCapable ?? true, fax: false },
		date_created: rfc2822(n.dateCreated),
		date_updated: rfc2822(n.dateUpdated),
		emergency_address_sid: null,
		emergency_address_status: 'unregistered',
		emergency_status: 'Inactive',
		friendly_name: n.friendlyName,
		identity_sid: null,
		origin: 'twilio',
		phone_number: n.phoneNumber,
		sid: n.sid,
		sms_application_sid: n.smsApplicationSid ?? '',
		sms_fallback_method: n.smsFallbackMethod,
		sms_fallback_url: n.smsFallbackUrl,
		sms_method: n.smsMethod,
		sms_url: n.smsUrl,
		status: 'in-use',
		status_callback: n.statusCallback,
		status_callback_method: n.statusCallbackMethod,
		subresource_uris: { assigned_add_ons: `${uri}/AssignedAddOns.json` },
		trunk_sid: n.trunkSid || null,
		uri: `${uri}.json`,
		voice_application_sid: n.voiceApplicationSid ?? '',
		voice_caller_id_lookup: false,
		voice_fallback_method: n.voiceFallbackMethod,
		voice_fallback_url: n.voiceFallbackUrl,
		voice_method: n.voiceMethod,
		voice_receive_mode: 'voice',
		voice_url: n.voiceUrl
	};
}

export const incomingPhoneNumberRoutes: Route[] = [
	{
		method: 'GET',
		path: /^IncomingPhoneNumbers\.json$/,
		handle: (ctx) => {
			const api = ctx.options.numbers;
			if (!api) return notFound(ctx);
			const list = api.listNumbers({ phoneNumber: ctx.form.get('PhoneNumber'), friendlyName: ctx.form.get('FriendlyName') });
			return json(200, page(`${ctx.accountPath}IncomingPhoneNumbers.json`, 'incoming_phone_numbers', list.map(phoneNumberResource)));
		}
	},
	...settingsRoutes(routePath`IncomingPhoneNumbers/(${sidSource('PN')})\.json`, {
		get: (api, sid) => api.getNumber(sid),
		update: (api, sid, update) => api.updateNumber(sid, update),
		show: phoneNumberResource,
		allowed: () => true
	})
];
