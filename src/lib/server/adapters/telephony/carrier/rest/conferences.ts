/** Conferences: list, fetch, and end one (`Status=completed`), by SID or friendly name. */
import { rfc2822 } from '../local-carrier';
import { json, notFound, page } from './respond';
import type { ConferenceRest, ConferenceView, Route, RouteContext } from './types';

export function conferenceResource(c: ConferenceView) {
	const uri = `/2010-04-01/Accounts/${c.accountSid}/Conferences/${c.sid}`;
	return {
		account_sid: c.accountSid,
		api_version: '2010-04-01',
		call_sid_ending_conference: c.callSidEnding,
		date_created: rfc2822(c.dateCreated),
		date_updated: rfc2822(c.dateUpdated),
		friendly_name: c.friendlyName,
		reason_conference_ended: c.reasonEnded,
		region: 'us1',
		sid: c.sid,
		status: c.status,
		subresource_uris: { participants: `${uri}/Participants.json`, recordings: `${uri}/Recordings.json` },
		uri: `${uri}.json`
	};
}

/** The handler with the engine's conference API, or Twilio's 404 when the carrier runs without one. */
export function withConferences(handle: (api: ConferenceRest, ctx: RouteContext, groups: string[]) => ReturnType<Route['handle']>): Route['handle'] {
	return (ctx, groups) => (ctx.options.conferences ? handle(ctx.options.conferences, ctx, groups.map((g) => decodeURIComponent(g))) : notFound(ctx));
}

export const conferenceRoutes: Route[] = [
	{
		method: 'GET',
		path: /^Conferences\.json$/,
		handle: withConferences((api, ctx) => {
			const list = api.listConferences({ friendlyName: ctx.form.get('FriendlyName'), status: ctx.form.get('Status') });
			return json(200, page(`${ctx.accountPath}Conferences.json`, 'conferences', list.map(conferenceResource)));
		})
	},
	{ method: 'GET', path: /^Conferences\/([^/]+)\.json$/, handle: withConferences((api, _ctx, [key]) => json(200, conferenceResource(api.getConference(key!)))) },
	{
		method: 'POST',
		path: /^Conferences\/([^/]+)\.json$/,
		handle: withConferences((api, ctx, [key]) =>
			json(200, conferenceResource(api.updateConference(key!, { status: ctx.form.get('Status'), announceUrl: ctx.form.get('AnnounceUrl'), announceMethod: ctx.form.get('AnnounceMethod') })))
		)
	}
];
