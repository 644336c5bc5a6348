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

/** A form parameter's field and how it reads: a flag is `true`/`false`, a text counts only when not empty. */
type FormFields<T> = Record<string, readonly [field: keyof T & string, kind: 'flag' | 'text']>;

/** The fields `map` names that the form sets; the rest stay absent, so the engine keeps its defaults. */
function formFields<T>(form: URLSearchParams, map: FormFields<T>): Partial<T> {
	const fields: Record<string, string | boolean> = {};
	for (const [param, [field, kind]] of Object.entries(map)) {
		const text = form.get(param);
		const value = kind === 'flag' ? boolField(form, param) : text ? text : undefined;
		if (value !== undefined) fields[field] = value;
	}
	return fields as Partial<T>;
}

const PARTICIPANT_FIELDS: FormFields<Omit<ParticipantInput, 'from' | 'to'>> = {
	Label: ['label', 'text'],
	EarlyMedia: ['earlyMedia', 'flag'],
	Beep: ['beep', 'text'],
	Muted: ['muted', 'flag'],
	Coaching: ['coaching', 'flag'],
	CallSidToCoach: ['callSidToCoach', 'text'],
	StartConferenceOnEnter: ['startConferenceOnEnter', 'flag'],
	EndConferenceOnExit: ['endConferenceOnExit', 'flag'],
	StatusCallback: ['statusCallback', 'text'],
	ConferenceStatusCallback: ['conferenceStatusCallback', 'text'],
	ConferenceRecord: ['conferenceRecord', 'text'],
	ConferenceRecordingStatusCallback: ['conferenceRecordingStatusCallback', 'text'],
	Record: ['record', 'flag']
};

const UPDATE_FIELDS: FormFields<ParticipantUpdate> = {
	Hold: ['hold', 'flag'],
	HoldUrl: ['holdUrl', 'text'],
	Muted: ['muted', 'flag'],
	Coaching: ['coaching', 'flag'],
	CallSidToCoach: ['callSidToCoach', 'text'],
	AnnounceUrl: ['announceUrl', 'text'],
	EndConferenceOnExit: ['endConferenceOnExit', 'flag'],
	BeepOnExit: ['beepOnExit', 'flag']
};

const httpMethod = (form: URLSearchParams, name: string): 'GET' | 'POST' | undefined => {
	const v = form.get(name);
	return v ? (v.toUpperCase() === 'GET' ? 'GET' : 'POST') : undefined;
};

const list = (form: URLSearchParams, name: string) =>
	form
		.getAll(name)
		.flatMap((e) => e.split(/[\s,]+/))
		.filter(Boolean);

function participantInput(form: URLSearchParams): ParticipantInput {
	const input: ParticipantInput = { from: form.get('From') ?? '', to: form.get('To') ?? '', ...formFields(form, PARTICIPANT_FIELDS) };
	const events = list(form, 'StatusCallbackEvent') as CallProgressEvent[];
	if (events.length) input.statusCallbackEvent = events;
	const confEvents = list(form, 'ConferenceStatusCallbackEvent');
	if (confEvents.length) input.conferenceStatusCallbackEvent = confEvents;
	const recEvents = list(form, 'ConferenceRecordingStatusCallbackEvent');
	if (recEvents.length) input.conferenceRecordingStatusCallbackEvent = recEvents;
	const timeout = form.get('Timeout');
	if (timeout) input.timeoutSeconds = Number(timeout);
	// WaitUrl="" is meaningful (silence while waiting), so it counts even when empty.
	if (form.has('WaitUrl')) input.waitUrl = form.get('WaitUrl') ?? '';
	const methods = {
		statusCallbackMethod: httpMethod(form, 'StatusCallbackMethod'),
		conferenceStatusCallbackMethod: httpMethod(form, 'ConferenceStatusCallbackMethod'),
		conferenceRecordingStatusCallbackMethod: httpMethod(form, 'ConferenceRecordingStatusCallbackMethod'),
		waitMethod: httpMethod(form, 'WaitMethod')
	};
	for (const [k, v] of Object.entries(methods)) if (v) Object.assign(input, { [k]: v });
	return input;
}

function participantUpdate(form: URLSearchParams): ParticipantUpdate {
	const update = formFields(form, UPDATE_FIELDS);
	const hold = httpMethod(form, 'HoldMethod');
	if (hold) update.holdMethod = hold;
	const announce = httpMethod(form, 'AnnounceMethod');
	if (announce) update.announceMethod = announce;
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
