/**
 * Recordings: a recording's resource (GET Recordings/{Sid}.json), its audio (GET Recordings/{Sid}
 * with no extension, .wav or .mp3), and pausing or resuming the one running on a call
 * (POST Calls/{CallSid}/Recordings/{Sid|Twilio.CURRENT}.json).
 */
import { rfc2822, type LocalRecording } from '../local-carrier';
import { json, notFound, restError } from './respond';
import type { Route } from './types';
import { sidSource } from '../../../../../phone-rules';
import { routePath } from './route-path';

export function recordingResource(r: LocalRecording, apiBaseUrl: string) {
	const uri = `/2010-04-01/Accounts/${r.accountSid}/Recordings/${r.sid}`;
	return {
		account_sid: r.accountSid,
		api_version: '2010-04-01',
		call_sid: r.callSid,
		channels: r.channels,
		conference_sid: null,
		date_created: rfc2822(r.dateCreated),
		date_updated: rfc2822(r.dateCreated),
		duration: String(r.durationSeconds),
		encryption_details: null,
		error_code: null,
		media_url: `${apiBaseUrl}${uri}`,
		price: null,
		price_unit: 'USD',
		sid: r.sid,
		source: r.source,
		start_time: rfc2822(r.dateCreated),
		status: 'completed',
		subresource_uris: { transcriptions: `${uri}/Transcriptions.json` },
		uri: `${uri}.json`
	};
}

export const recordingRoutes: Route[] = [
	{
		method: 'POST',
		path: routePath`Calls/(${sidSource('CA')})/Recordings/(${sidSource('RE')}|Twilio\.CURRENT)\.json`,
		handle: ({ carrier, form }, [callSid, recordingSid]) => {
			const status = form.get('Status');
			if (status !== 'paused' && status !== 'in-progress') return restError(400, 21218, 'Status must be paused or in-progress.');
			const behavior = form.get('PauseBehavior');
			if (behavior !== null && behavior !== 'skip' && behavior !== 'silence') return restError(400, 21218, 'PauseBehavior must be skip or silence.');
			const r = carrier.updateCallRecording(callSid!, recordingSid!, { status, ...(behavior ? { pauseBehavior: behavior } : {}) });
			const uri = `/2010-04-01/Accounts/${carrier.accountSid}/Calls/${r.callSid}/Recordings/${r.sid}.json`;
			return json(200, { account_sid: carrier.accountSid, api_version: '2010-04-01', call_sid: r.callSid, sid: r.sid, status: r.status, source: 'DialVerb', channels: 2, uri });
		}
	},
	{
		method: 'DELETE',
		path: routePath`Recordings/(${sidSource('RE')})\.json`,
		handle: (ctx, [sid]) => {
			if (!ctx.carrier.recordings.delete(sid!)) return notFound(ctx);
			return { status: 204, contentType: 'application/json', body: '' };
		}
	},
	{
		method: 'GET',
		path: routePath`Recordings/(${sidSource('RE')})\.json`,
		handle: (ctx, [sid]) => {
			const recording = ctx.carrier.recordings.get(sid!);
			if (!recording) return notFound(ctx);
			return json(200, recordingResource(recording, ctx.carrier.apiBaseUrl));
		}
	},
	{
		method: 'GET',
		path: routePath`Recordings/(${sidSource('RE')})(?:\.wav|\.mp3)?`,
		handle: ({ carrier, request }) => {
			const media = carrier.fetchRecording(`${carrier.apiBaseUrl}${request.path}`);
			return { status: 200, contentType: media.contentType, body: media.body };
		}
	}
];
