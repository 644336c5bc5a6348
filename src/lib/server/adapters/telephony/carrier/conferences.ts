/**
 * Conferences: creation on first join, joining and leaving, their status callbacks, ending them,
 * and the Conferences REST resource.
 */
import { resourceNotFound } from './carrier-error';
import { Interrupted } from './clock';
import { rfc2822 } from './local-carrier';
import type { ConferenceView, ParticipantView } from './rest';
import type { Conference, EngineState, Leg, Participant } from './state';
import { textOf, type XmlElement } from './twiml';
import { attrBool, FOREVER, newSid, resolve, wait } from './util';
import { hear } from './legs';

export function conferenceEvent(s: EngineState, conf: Conference, event: string, extra: Record<string, string> = {}): void {
	const short = event.replace(/^(conference|participant)-/, '');
	const wanted = conf.events.has(short) || (short === 'unhold' && conf.events.has('hold')) || (short === 'unmute' && conf.events.has('mute'));
	if (!conf.statusCallback || !wanted) return;
	s.dispatcher.notify({
		kind: 'conference-status',
		url: conf.statusCallback,
		params: {
			AccountSid: s.carrier.accountSid,
			ConferenceSid: conf.sid,
			FriendlyName: conf.name,
			SequenceNumber: String(conf.sequence++),
			StatusCallbackEvent: event,
			Timestamp: rfc2822(s.clock.now()),
			...extra
		}
	});
}

export function participantFields(p: Participant): Record<string, string> {
	return {
		CallSid: p.leg.sid,
		Coaching: String(p.coaching),
		EndConferenceOnExit: String(p.endOnExit),
		Hold: String(p.hold),
		Muted: String(p.muted),
		StartConferenceOnEnter: String(p.startOnEnter),
		...(p.label ? { ParticipantLabel: p.label } : {})
	};
}

export function endConference(s: EngineState, conf: Conference, reason: string, by: string | null): void {
	if (conf.status === 'completed') return;
	const wasStarted = conf.status === 'in-progress';
	conf.status = 'completed';
	conf.reasonEnded = reason;
	conf.callSidEnding = by;
	conf.dateUpdated = s.clock.now();
	for (const p of conf.participants.values()) p.leave?.();
	if (wasStarted) conferenceEvent(s, conf, 'conference-end', { ReasonConferenceEnded: reason, ...(by ? { CallSidEndingConference: by } : {}) });
	s.conferences.delete(conf.name);
}

export function ensureConference(s: EngineState, name: string, attrs: Record<string, string>, docUrl: string): Conference {
	let conf = s.conferences.get(name);
	if (!conf) {
		const now = s.clock.now();
		conf = {
			sid: newSid('CF'),
			name,
			status: 'init',
			participants: new Map(),
			statusCallback: attrs.statusCallback ? resolve(s, attrs.statusCallback, docUrl) : null,
			events: new Set((attrs.statusCallbackEvent ?? '').split(/[\s,]+/).filter(Boolean)),
			sequence: 0,
			dateCreated: now,
			dateUpdated: now,
			reasonEnded: null,
			callSidEnding: null
		};
		s.conferences.set(name, conf);
	}
	return conf;
}

export async function joinConference(s: EngineState, leg: Leg, name: string, attrs: Record<string, string>, docUrl: string, signal: AbortSignal, label: string | null = null): Promise<number> {
	const conf = ensureConference(s, name, attrs, docUrl);
	const participant: Participant = {
		leg,
		label,
		hold: false,
		muted: attrBool(attrs.muted, false),
		coaching: attrBool(attrs.coach ? 'true' : attrs.coaching, false),
		callSidToCoach: attrs.coach ?? attrs.callSidToCoach ?? null,
		startOnEnter: attrBool(attrs.startConferenceOnEnter, true),
		endOnExit: attrBool(attrs.endConferenceOnExit, false),
		joinedAt: s.clock.now(),
		status: 'connected',
		leave: null
	};
	const joined = s.clock.now().getTime();
	conf.participants.set(leg.sid, participant);
	if (conf.status === 'init' && participant.startOnEnter) {
		conf.status = 'in-progress';
		conferenceEvent(s, conf, 'conference-start');
	}
	conferenceEvent(s, conf, 'participant-join', participantFields(participant));
	// Until someone who starts the conference joins, the others hear the waitUrl (Twilio's default: hold music; "" is silence).
	if (conf.status === 'init' && attrs.waitUrl !== '') hear(leg, attrs.waitUrl ? `[play ${resolve(s, attrs.waitUrl, docUrl)}]` : '[hold music]');
	const current = conf;
	try {
		await wait(s, FOREVER, signal, (wake) => {
			participant.leave = wake;
			if (current.status === 'completed') wake();
			return () => {
				participant.leave = null;
			};
		});
	} finally {
		participant.status = 'complete';
		current.participants.delete(leg.sid);
		conferenceEvent(s, current, 'participant-leave', participantFields(participant));
		const how = participant.kicked ? 'kicked' : 'left';
		if (participant.endOnExit) endConference(s, current, `participant-with-end-conference-on-exit-${how}`, leg.sid);
		else if (current.participants.size === 0) endConference(s, current, `last-participant-${how}`, leg.sid);
	}
	return Math.round((s.clock.now().getTime() - joined) / 1000);
}

export async function dialConference(
	s: EngineState,
	leg: Leg,
	noun: XmlElement,
	docUrl: string,
	signal: AbortSignal
): Promise<{ status: string; dialSid: string | null; seconds: number | null; recording: null }> {
	const seconds = await joinConference(s, leg, textOf(noun), noun.attrs, docUrl, signal).catch((err: unknown) => {
		if (err instanceof Interrupted) Object.assign(err, { dial: { status: 'completed', dialSid: null, seconds: null, recording: null } });
		throw err;
	});
	return { status: 'completed', dialSid: null, seconds, recording: null };
}

export function findConference(s: EngineState, sidOrName: string): Conference | null {
	for (const c of s.conferences.values()) if (c.sid === sidOrName || c.name === sidOrName) return c;
	return null;
}

export function conferenceOrThrow(s: EngineState, sidOrName: string): Conference {
	const conf = findConference(s, sidOrName);
	if (!conf) {
		throw resourceNotFound(`/Conferences/${sidOrName}`);
	}
	return conf;
}

export function conferenceView(s: EngineState, c: Conference): ConferenceView {
	return {
		sid: c.sid,
		accountSid: s.carrier.accountSid,
		friendlyName: c.name,
		status: c.status,
		dateCreated: c.dateCreated,
		dateUpdated: c.dateUpdated,
		reasonEnded: c.reasonEnded,
		callSidEnding: c.callSidEnding
	};
}

export function participantView(s: EngineState, c: Conference, p: Participant): ParticipantView {
	return {
		callSid: p.leg.sid,
		conferenceSid: c.sid,
		accountSid: s.carrier.accountSid,
		label: p.label,
		hold: p.hold,
		muted: p.muted,
		coaching: p.coaching,
		callSidToCoach: p.callSidToCoach,
		startConferenceOnEnter: p.startOnEnter,
		endConferenceOnExit: p.endOnExit,
		status: p.status,
		dateCreated: p.joinedAt,
		dateUpdated: s.clock.now()
	};
}

export function listConferences(s: EngineState, filter: { friendlyName?: string | null; status?: string | null }): ConferenceView[] {
	return [...s.conferences.values()]
		.filter((c) => (!filter.friendlyName || c.name === filter.friendlyName) && (!filter.status || c.status === filter.status))
		.map((c) => conferenceView(s, c));
}

export function getConference(s: EngineState, sidOrName: string): ConferenceView {
	return conferenceView(s, conferenceOrThrow(s, sidOrName));
}

export function updateConference(s: EngineState, sidOrName: string, update: { status?: string | null }): ConferenceView {
	const conf = conferenceOrThrow(s, sidOrName);
	const view = conferenceView(s, conf);
	if (update.status === 'completed') {
		endConference(s, conf, 'conference-ended-via-api', null);
		return { ...view, status: 'completed', reasonEnded: 'conference-ended-via-api' };
	}
	return view;
}
