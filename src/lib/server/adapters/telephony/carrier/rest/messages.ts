/** Messages: send a text (POST Messages.json) and fetch one (GET Messages/{Sid}.json). */
import { rfc2822, type LocalMessage } from '../local-carrier';
import { date, json } from './respond';
import type { Route } from './types';
import { sidSource } from '../../../../../phone-rules';
import { routePath } from './route-path';

export function messageResource(m: LocalMessage) {
	return {
		account_sid: m.accountSid,
		api_version: '2010-04-01',
		body: m.body,
		date_created: rfc2822(m.dateCreated),
		date_sent: date(m.dateSent),
		date_updated: rfc2822(m.dateSent ?? m.dateCreated),
		direction: m.direction,
		error_code: m.errorCode,
		error_message: m.errorMessage,
		from: m.from,
		messaging_service_sid: null,
		num_media: String(m.numMedia),
		num_segments: String(m.numSegments),
		price: null,
		price_unit: 'USD',
		sid: m.sid,
		status: m.status,
		subresource_uris: { media: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}/Media.json` },
		to: m.to,
		uri: `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}.json`
	};
}

export const messageRoutes: Route[] = [
	{
		method: 'POST',
		path: /^Messages\.json$/,
		handle: ({ carrier, form }) => {
			const from = form.get('From') ?? form.get('MessagingServiceSid') ?? '';
			const m = carrier.sendMessage({
				from,
				to: form.get('To') ?? '',
				body: form.get('Body') ?? '',
				mediaUrls: form.getAll('MediaUrl'),
				...(form.get('StatusCallback') ? { statusCallback: form.get('StatusCallback') ?? undefined } : {})
			});
			return json(201, messageResource(m));
		}
	},
	{ method: 'GET', path: routePath`Messages/(${sidSource(['SM', 'MM'])})\.json`, handle: ({ carrier }, [sid]) => json(200, messageResource(carrier.fetchMessage(sid!))) }
];
