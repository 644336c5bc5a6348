/** Conference participants: list, add (dial out into the conference), fetch, update (hold, mute, coach), remove. */
import type { CallProgressEvent } from '../../port';
import { rfc2822 } from '../local-carrier';
import { withConferences } from './conferences';
import { boolField, json, page } from './respond';
import type { ParticipantInput, ParticipantUpdate, ParticipantView, Route } from './types';

export function participantResource(p: ParticipantView) {
	return {
		account_sid: p.accountSid,
		call_sid: p.callSid,
		call_sid_to_coach: p.callSidToCoach,
		coaching: p.coaching,
		conference_sid: p.conferenceSid,
		date_created: rfc2822(p.dateCreated),
		date_updated: rfc2822(p.dateUpdated),
		end_conference_on_exit: p.endConferenceOnExit,
		hold: p.hold,
		label: p.label,
		muted: p.muted,
		queue_time: '0',
		start_conference_on_enter: p.startConferenceOnEnter,
		status: p.status,
		uri: `/2010-04-01/Accounts/${p.accountSid}/Conferences/${p.conferenceSid}/Participants/${p.callSid}.json`
	};
}

function participantInput(form: URLSearchParams): ParticipantInput {
	const str = (name: string) => form.get(name) ?? undefined;
	const events = form.getAll('StatusCallbackEvent').flatMap((e) => e.split(' ')).filter(Boolean) as CallProgressEvent[];
	const confEvents = form.getAll('ConferenceStatusCallbackEvent').flatMap((e) => e.split(' ')).filter(Boolean);
	const input: ParticipantInput = { from: form.get('From') ?? '', to: form.get('To') ?? '' };
	const label = str('Label');
	if (label) input.label = label;
	const muted = boolField(form, 'Muted');
	if (muted !== undefined) input.muted = muted;
	const coaching = boolField(form, 'Coaching');
	if (coaching !== undefined) input.coaching = coaching;
	const coach = str('CallSidToCoach');
	if (coach) input.callSidToCoach = coach;
	const start = boolField(form, 'StartConferenceOnEnter');
	if (start !== undefined) input.startConferenceOnEnter = start;
	const end = boolField(form, 'EndConferenceOnExit');
	if (end !== undefined) input.endConferenceOnExit = end;
	const cb = str('StatusCallback');
	if (cb) input.statusCallback = cb;
	if (events.length) input.statusCallbackEvent = events;
	const ccb = str('ConferenceStatusCallback');
	if (ccb) input.conferenceStatusCallback = ccb;
	if (confEvents.length) input.conferenceStatusCallbackEvent = confEvents;
	const timeout = form.get('Timeout');
	if (timeout) input.timeoutSeconds = Number(timeout);
	return input;
}

function participantUpdate(form: URLSearchParams): ParticipantUpdate {
	const update: ParticipantUpdate = {};
	const hold = boolField(form, 'Hold');
	if (hold !== undefined) update.hold = hold;
	const holdUrl = form.get('HoldUrl');
	if (holdUrl) update.holdUrl = holdUrl;
	if (form.get('HoldMethod')) update.holdMethod = form.get('HoldMethod') === 'GET' ? 'GET' : 'POST';
	const muted = boolField(form, 'Muted');
	if (muted !== undefined) update.muted = muted;
	const coaching = boolField(form, 'Coaching');
	if (coaching !== undefined) update.coaching = coaching;
	const coach = form.get('CallSidToCoach');
	if (coach) update.callSidToCoach = coach;
	return update;
}

export const participantRoutes: Route[] = [
	{
		method: 'GET',
		path: /^Conferences\/([^/]+)\/Participants\.json$/,
		handle: withConferences((api, ctx, [key]) => json(200, page(`${ctx.accountPath}${ctx.rest}`, 'participants', api.listParticipants(key!).map(participantResource))))
	},
	{
		method: 'POST',
		path: /^Conferences\/([^/]+)\/Participants\.json$/,
		handle: withConferences((api, ctx, [key]) => json(201, participantResource(api.addParticipant(key!, participantInput(ctx.form)))))
	},
	{
		method: 'GET',
		path: /^Conferences\/([^/]+)\/Participants\/([^/]+)\.json$/,
		handle: withConferences((api, _ctx, [key, callSid]) => json(200, participantResource(api.getParticipant(key!, callSid!))))
	},
	{
		method: 'POST',
		path: /^Conferences\/([^/]+)\/Participants\/([^/]+)\.json$/,
		handle: withConferences((api, ctx, [key, callSid]) => json(200, participantResource(api.updateParticipant(key!, callSid!, participantUpdate(ctx.form)))))
	},
	{
		method: 'DELETE',
		path: /^Conferences\/([^/]+)\/Participants\/([^/]+)\.json$/,
		handle: withConferences((api, _ctx, [key, callSid]) => {
			api.removeParticipant(key!, callSid!);
			return { status: 204, contentType: 'application/json', body: '' };
		})
	}
];
