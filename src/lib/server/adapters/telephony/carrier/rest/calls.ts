/** Calls: create an outbound call, fetch one, and redirect or end a live one (Url, Twiml or Status). */
import type { CallProgressEvent, CreateCallInput, UpdateCallInput } from '../../port';
import { rfc2822, type LocalCall } from '../local-carrier';
import { date, json, restError } from './respond';
import type { Route } from './types';
import { sidSource } from '../../../../../phone-rules';
import { routePath } from './route-path';

const CALL_PATH = routePath`Calls/(${sidSource('CA')})\.json`;

export function callResource(c: LocalCall) {
	return {
		account_sid: c.accountSid,
		answered_by: null,
		api_version: '2010-04-01',
		caller_name: null,
		date_created: rfc2822(c.dateCreated),
		date_updated: rfc2822(c.endTime ?? c.startTime ?? c.dateCreated),
		direction: c.direction,
		duration: c.durationSeconds === null ? null : String(c.durationSeconds),
		end_time: date(c.endTime),
		forwarded_from: null,
		from: c.from,
		from_formatted: c.from,
		group_sid: null,
		parent_call_sid: c.parentCallSid,
		phone_number_sid: null,
		price: null,
		price_unit: 'USD',
		sid: c.sid,
		start_time: date(c.startTime),
		status: c.status,
		subresource_uris: { recordings: `/2010-04-01/Accounts/${c.accountSid}/Calls/${c.sid}/Recordings.json` },
		to: c.to,
		to_formatted: c.to,
		trunk_sid: null,
		uri: `/2010-04-01/Accounts/${c.accountSid}/Calls/${c.sid}.json`,
		queue_time: '0'
	};
}

function createCallInput(form: URLSearchParams): CreateCallInput {
	const common = {
		from: form.get('From') ?? '',
		to: form.get('To') ?? '',
		...(form.get('StatusCallback') ? { statusCallback: form.get('StatusCallback') ?? undefined } : {}),
		...(form.get('StatusCallbackMethod') ? { statusCallbackMethod: form.get('StatusCallbackMethod')?.toUpperCase() === 'GET' ? ('GET' as const) : ('POST' as const) } : {}),
		...(form.getAll('StatusCallbackEvent').length
			? { statusCallbackEvent: form.getAll('StatusCallbackEvent').flatMap((e) => e.split(' ')) as CallProgressEvent[] }
			: {}),
		...(form.get('Record') ? { record: form.get('Record') === 'true' } : {}),
		...(form.get('Timeout') ? { timeoutSeconds: Number(form.get('Timeout')) } : {})
	};
	const twiml = form.get('Twiml');
	if (twiml !== null) return { ...common, twiml };
	return { ...common, url: form.get('Url') ?? '', method: form.get('Method') === 'GET' ? 'GET' : 'POST' };
}

function updateCallInput(form: URLSearchParams): UpdateCallInput | null {
	const status = form.get('Status');
	if (status === 'completed' || status === 'canceled') return { status };
	const twiml = form.get('Twiml');
	if (twiml !== null) return { twiml };
	const url = form.get('Url');
	if (url !== null) return { url, method: form.get('Method') === 'GET' ? 'GET' : 'POST' };
	return null;
}

export const callRoutes: Route[] = [
	{ method: 'POST', path: /^Calls\.json$/, handle: ({ carrier, form }) => json(201, callResource(carrier.createCall(createCallInput(form)))) },
	{ method: 'GET', path: CALL_PATH, handle: ({ carrier }, [sid]) => json(200, callResource(carrier.fetchCall(sid!))) },
	{
		method: 'POST',
		path: CALL_PATH,
		handle: ({ carrier, form }, [sid]) => {
			const input = updateCallInput(form);
			if (!input) return restError(400, 21218, 'Invalid application or TwiML: pass Url, Twiml or Status.');
			return json(200, callResource(carrier.updateCall(sid!, input)));
		}
	}
];
