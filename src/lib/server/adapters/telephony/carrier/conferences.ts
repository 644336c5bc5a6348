/**
 * Conferences: creation on first join, joining and leaving, their status callbacks (Twilio's
 * events and fields, in order with SequenceNumber), the conference recording, announcements,
 * ending them, who hears whom (`audioRouting`), and the Conferences REST resource.
 */
import { resourceNotFound } from './carrier-error';
import { Interrupted } from './clock';
import { refreshConferenceMedia } from './conference-media';
import { hear, legParams } from './legs';
import { rfc2822 } from './local-carrier';
import { makeRecording, recordingParams } from './recordings';
import type { ConferenceView, ParticipantView } from './rest';
import type { Conference, EngineState, Leg, Participant } from './state';
import { elementsOf, parseVoiceTwiml, textOf, type XmlElement } from './twiml';
import { attrBool, FOREVER, method, newSid, resolve, track, wait } from './util';

/** Events a conference's `statusCallbackEvent` may name (Twilio refuses others with 16002 on `<Conference>`). */
export const CONFERENCE_EVENTS = ['start', 'end', 'join', 'leave', 'mute', 'hold', 'modify', 'speaker', 'announcement'] as const;

export function conferenceEvent(s: EngineState, conf: Conference, event: string, extra: Record<string, string> = {}): void {
	const short = event.replace(/^(conference|participant)-/, '').replace(/^announcement-.*/, 'announcement');
	const wanted = conf.events.has(short) || (short === 'unhold' && conf.events.has('hold')) || (short === 'unmute' && conf.events.has('mute'));
	if (!conf.statusCallback || !wanted) return;
	const sequence = conf.sequence++;
	s.dispatcher.notify({
		kind: 'conference-status',
		url: conf.statusCallback,
		method: conf.statusCallbackMethod,
		params: {
			AccountSid: s.carrier.accountSid,
			ConferenceSid: conf.sid,
			FriendlyName: conf.name,
			SequenceNumber: String(sequence),
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
		...(p.coaching && p.callSidToCoach ? { CallSidToCoach: p.callSidToCoach } : {}),
		EndConferenceOnExit: String(p.endOnExit),
		Hold: String(p.hold),
		Muted: String(p.muted),
		StartConferenceOnEnter: String(p.startOnEnter),
		...(p.label ? { ParticipantLabel: p.label } : {})
	};
}

/** Participants whose call is in the conference now (not still ringing, not gone). */
export function connected(conf: Conference): Participant[] {
	return [...conf.participants.values()].filter((p) => p.status === 'connected');
}

/** A participant by its call SID or its label (Twilio accepts either in the Participants path). */
export function findParticipant(conf: Conference, callSidOrLabel: string): Participant | null {
	const bySid = conf.participants.get(callSidOrLabel);
	if (bySid) return bySid;
	for (const p of conf.participants.values()) if (p.label === callSidOrLabel) return p;
	return null;
}

/** Twilio's 16023: a label of at most 128 characters, no `/`, not shaped like a Call SID. */
export function labelProblem(label: string): string | null {
	if (label.length > 128 || label.includes('/') || /^CA[0-9a-f]{32}$/.test(label)) return `Participant label "${label}" is invalid (at most 128 characters, no "/", not a Call SID)`;
	return null;
}

/**
 * Twilio's refusal to let `callSidToCoach` be coached now: 16028 when it is not a participant
 * connected to this conference, 16027 when it is on hold. Null when coaching may start.
 */
export function coachProblem(conf: Conference, callSidToCoach: string | null | undefined): { code: number; message: string } | null {
	if (!callSidToCoach) return { code: 16028, message: 'Coaching needs CallSidToCoach: the participant to be whispered is not present in the conference' };
	const coached = conf.participants.get(callSidToCoach);
	if (!coached || coached.status !== 'connected') return { code: 16028, message: `Participant to be whispered (${callSidToCoach}) is not present in the conference` };
	if (coached.hold) return { code: 16027, message: `Participant to be whispered (${callSidToCoach}) is on hold` };
	return null;
}

/** The participant is out of the conference: its leave event, then the end when it was the moderator or the last one. */
function depart(s: EngineState, conf: Conference, p: Participant): void {
	if (p.status !== 'connected') return;
	p.status = 'complete';
	conf.participants.delete(p.leg.sid);
	conf.dateUpdated = s.clock.now();
	conferenceEvent(s, conf, 'participant-leave', participantFields(p));
	if (conf.status === 'completed') return;
	if (conf.status === 'in-progress' && (p.beep === 'true' || p.beep === 'onExit')) for (const other of connected(conf)) hearInConference(other, '[beep]');
	const how = p.kicked ? 'kicked' : 'left';
	if (p.endOnExit) endConference(s, conf, `participant-with-end-conference-on-exit-${how}`, p.leg.sid);
	else if (connected(conf).length === 0) endConference(s, conf, `last-participant-${how}`, p.leg.sid);
	else refreshConferenceMedia(s, conf);
}

/** What a participant hears from the conference itself (beeps, announcements): not while held, where the hold music plays. */
function hearInConference(p: Participant, text: string): void {
	if (!p.hold) hear(p.leg, text);
}

export function endConference(s: EngineState, conf: Conference, reason: string, by: string | null): void {
	if (conf.status === 'completed') return;
	const wasStarted = conf.status === 'in-progress';
	conf.status = 'completed';
	conf.reasonEnded = reason;
	conf.callSidEnding = by;
	conf.dateUpdated = s.clock.now();
	// Everyone leaves first (their leave events come before the end), and calls still being added stop ringing.
	for (const p of [...conf.participants.values()]) {
		if (p.status === 'connected') {
			depart(s, conf, p);
			p.leave?.();
		} else p.cancel?.();
	}
	refreshConferenceMedia(s, conf);
	if (wasStarted) conferenceEvent(s, conf, 'conference-end', { ReasonConferenceEnded: reason, ...(by ? { CallSidEndingConference: by } : {}) });
	if (conf.recording) track(s, finishRecording(s, conf));
	if (s.conferences.get(conf.name) === conf) s.conferences.delete(conf.name);
}

/** The conference recording: one mono file from the start to the end, `RecordingSource=Conference`, with its ConferenceSid. */
async function finishRecording(s: EngineState, conf: Conference): Promise<void> {
	const running = conf.recording;
	const record = conf.record;
	if (!running || !record) return;
	conf.recording = null;
	const seconds = Math.max(0, Math.round((s.clock.now().getTime() - running.startedAt) / 1000));
	const leg = s.legs.get(running.callSid);
	if (!leg) return;
	const rec = await makeRecording(s, leg, seconds, 1, null, 'Conference', { sid: running.sid });
	if (!record.statusCallback || !record.events.includes('completed')) return;
	s.dispatcher.notify({
		kind: 'recording-status',
		url: record.statusCallback,
		method: record.method,
		params: { ...recordingParams(s, leg, rec, seconds, 1, 'Conference', running.startedAt), ConferenceSid: conf.sid },
		callSid: leg.sid
	});
}

/** The conference settings a first participant brings: status callback and its events, recording. */
export interface ConferenceSettings {
	statusCallback?: string | null;
	statusCallbackMethod?: string | null;
	statusCallbackEvent?: string | null;
	record?: string | null;
	recordingStatusCallback?: string | null;
	recordingStatusCallbackMethod?: string | null;
	recordingStatusCallbackEvent?: string | null;
}

export function ensureConference(s: EngineState, name: string, settings: ConferenceSettings, docUrl: string): Conference {
	let conf = s.conferences.get(name);
	if (!conf) {
		const now = s.clock.now();
		const record = settings.record === 'record-from-start' || settings.record === 'true';
		conf = {
			sid: newSid('CF'),
			name,
			status: 'init',
			participants: new Map(),
			statusCallback: settings.statusCallback ? resolve(s, settings.statusCallback, docUrl) : null,
			statusCallbackMethod: method(settings.statusCallbackMethod ?? undefined),
			events: new Set((settings.statusCallbackEvent ?? '').split(/[\s,]+/).filter(Boolean)),
			sequence: 0,
			dateCreated: now,
			dateUpdated: now,
			reasonEnded: null,
			callSidEnding: null,
			record: record
				? {
						statusCallback: settings.recordingStatusCallback ? resolve(s, settings.recordingStatusCallback, docUrl) : null,
						events: (settings.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/).filter(Boolean),
						method: method(settings.recordingStatusCallbackMethod ?? undefined)
					}
				: null,
			recording: null,
			links: new Map()
		};
		s.conferences.set(name, conf);
	}
	return conf;
}

/** A participant's options, as `<Conference>` attributes or REST fields set them. */
export interface ParticipantOptions {
	label?: string | null;
	muted?: boolean;
	coaching?: boolean;
	callSidToCoach?: string | null;
	startConferenceOnEnter?: boolean;
	endConferenceOnExit?: boolean;
	beep?: string;
	waitUrl?: string | null;
	waitMethod?: string | null;
}

export function newParticipant(s: EngineState, leg: Leg, o: ParticipantOptions, status: Participant['status']): Participant {
	return {
		leg,
		label: o.label ?? null,
		hold: false,
		muted: o.muted ?? false,
		coaching: o.coaching ?? Boolean(o.callSidToCoach),
		callSidToCoach: o.callSidToCoach ?? null,
		startOnEnter: o.startConferenceOnEnter ?? true,
		endOnExit: o.endConferenceOnExit ?? false,
		joinedAt: s.clock.now(),
		status,
		leave: null,
		holdUrl: null,
		holdMethod: 'GET',
		beep: o.beep ?? 'true',
		cancel: null
	};
}

/** The options `<Conference>`'s attributes give (Twilio's names: participantLabel, coach, beep...). */
export function optionsFromAttrs(attrs: Record<string, string>): ParticipantOptions & ConferenceSettings {
	return {
		label: attrs.participantLabel ?? null,
		muted: attrBool(attrs.muted, false),
		coaching: attrs.coach ? true : false,
		callSidToCoach: attrs.coach ?? null,
		startConferenceOnEnter: attrBool(attrs.startConferenceOnEnter, true),
		endConferenceOnExit: attrBool(attrs.endConferenceOnExit, false),
		beep: attrs.beep ?? 'true',
		waitUrl: attrs.waitUrl ?? null,
		waitMethod: attrs.waitMethod ?? null,
		statusCallback: attrs.statusCallback ?? null,
		statusCallbackMethod: attrs.statusCallbackMethod ?? null,
		statusCallbackEvent: attrs.statusCallbackEvent ?? null,
		record: attrs.record ?? null,
		recordingStatusCallback: attrs.recordingStatusCallback ?? null,
		recordingStatusCallbackMethod: attrs.recordingStatusCallbackMethod ?? null,
		recordingStatusCallbackEvent: attrs.recordingStatusCallbackEvent ?? null
	};
}

/**
 * The leg joins the conference and stays until it leaves (hang-up, REST removal, redirect, the
 * conference ending); resolves with the seconds it spent there. `participant` is the entry a
 * REST add made while the call rang; a `<Conference>` join makes its own. Throws a
 * `JoinRefused` when Twilio would not add the call (label in use, coach target absent).
 */
export async function joinConference(
	s: EngineState,
	leg: Leg,
	name: string,
	options: ParticipantOptions & ConferenceSettings,
	docUrl: string,
	signal: AbortSignal,
	participant: Participant | null = null
): Promise<number> {
	const conf = ensureConference(s, name, options, docUrl);
	const p = participant ?? newParticipant(s, leg, options, 'connecting');
	if (!participant) {
		if (p.label && [...conf.participants.values()].some((o) => o.label === p.label && o !== p)) {
			throw new JoinRefused(16025, `Participant label "${p.label}" is in use by another participant`);
		}
		if (p.coaching) {
			const problem = coachProblem(conf, p.callSidToCoach);
			if (problem) throw new JoinRefused(13240, `Invalid whisper SID: ${problem.message}`);
		}
	}
	p.status = 'connected';
	p.joinedAt = s.clock.now();
	const joined = p.joinedAt.getTime();
	conf.participants.set(leg.sid, p);
	conf.dateUpdated = p.joinedAt;
	if (conf.status === 'init' && p.startOnEnter) {
		conf.status = 'in-progress';
		conferenceEvent(s, conf, 'conference-start');
		if (conf.record) conf.recording = { sid: newSid('RE'), startedAt: s.clock.now().getTime(), callSid: leg.sid };
	}
	conferenceEvent(s, conf, 'participant-join', participantFields(p));
	if (conf.status === 'in-progress' && (p.beep === 'true' || p.beep === 'onEnter')) for (const other of connected(conf)) if (other !== p) hearInConference(other, '[beep]');
	// Until someone who starts the conference joins, the others hear the waitUrl (Twilio's default: hold music; "" is silence).
	if (conf.status === 'init' && options.waitUrl !== '') hear(leg, options.waitUrl ? `[play ${resolve(s, options.waitUrl, docUrl)}]` : '[hold music]');
	refreshConferenceMedia(s, conf);
	try {
		await wait(s, FOREVER, signal, (wake) => {
			p.leave = wake;
			if (conf.status === 'completed' || p.status !== 'connected') wake();
			return () => {
				p.leave = null;
			};
		});
	} finally {
		depart(s, conf, p);
	}
	return Math.round((s.clock.now().getTime() - joined) / 1000);
}

/** Twilio would not add the call to the conference: an alert with its code, and the Dial goes on. */
export class JoinRefused extends Error {
	constructor(
		readonly code: number,
		message: string
	) {
		super(message);
	}
}

export async function dialConference(
	s: EngineState,
	leg: Leg,
	noun: XmlElement,
	docUrl: string,
	signal: AbortSignal
): Promise<{ status: string; dialSid: string | null; seconds: number | null; recording: null }> {
	// <Dial record> and its recordingStatusCallback apply to the conference (Twilio records it from the start).
	try {
		const seconds = await joinConference(s, leg, textOf(noun), optionsFromAttrs(noun.attrs), docUrl, signal);
		return { status: 'completed', dialSid: null, seconds, recording: null };
	} catch (err) {
		if (err instanceof Interrupted) Object.assign(err, { dial: { status: 'completed', dialSid: null, seconds: null, recording: null } });
		if (err instanceof JoinRefused) {
			s.dispatcher.alert({ level: 'error', code: err.code, message: err.message, url: docUrl, kind: null, callSid: leg.sid, messageSid: null });
			return { status: 'failed', dialSid: null, seconds: null, recording: null };
		}
		throw err;
	}
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

/** The conference a call is in now, with its participant entry (for the phone page and the softphone). */
export function conferenceOfCall(s: EngineState, callSid: string): { conference: Conference; participant: Participant } | null {
	for (const conference of s.conferences.values()) {
		const participant = conference.participants.get(callSid);
		if (participant) return { conference, participant };
	}
	return null;
}

// --- announcements ------------------------------------------------------------------------------

/**
 * Play `announceUrl` (an audio file, or TwiML with Say, Play, Pause) to one participant or, with
 * `to` null, to the whole conference; then `announcement-end` (with the participant's CallSid
 * for a participant's own announcement), or `announcement-fail` when the URL gave nothing to play.
 */
export function announce(s: EngineState, conf: Conference, url: string, httpMethod: string | null | undefined, to: Participant | null): void {
	const absolute = resolve(s, url);
	const listeners = () => (to ? [to] : connected(conf));
	const done = (ok: boolean) => conferenceEvent(s, conf, ok ? 'announcement-end' : 'announcement-fail', to ? { CallSid: to.leg.sid } : {});
	if (/\.(mp3|wav)(\?.*)?$/i.test(absolute)) {
		for (const p of listeners()) hearInConference(p, `[play ${absolute}]`);
		done(true);
		return;
	}
	const params = to ? legParams(s, to.leg) : { AccountSid: s.carrier.accountSid, ConferenceSid: conf.sid, FriendlyName: conf.name };
	track(
		s,
		s.dispatcher.request({ kind: 'announce-url', url: absolute, method: httpMethod === 'GET' ? 'GET' : 'POST', params, ...(to ? { callSid: to.leg.sid } : {}) }).then((r) => {
			if (conf.status === 'completed') return;
			if (!r.outcome.ok) return done(false);
			try {
				for (const v of elementsOf(parseVoiceTwiml(r.outcome.body))) {
					const text = v.name === 'Say' ? textOf(v) : v.name === 'Play' ? `[play ${resolve(s, textOf(v), r.documentUrl)}]` : null;
					if (text) for (const p of listeners()) hearInConference(p, text);
				}
				done(true);
			} catch {
				done(false);
			}
		})
	);
}

// --- who hears whom -----------------------------------------------------------------------------

export interface AudioRoutingParticipant {
	callSid: string;
	label: string | null;
	hold: boolean;
	muted: boolean;
	coaching: boolean;
	callSidToCoach: string | null;
	/** Call SIDs of the participants this one hears, in join order. */
	hears: string[];
	hearsHoldMusic: boolean;
}

export interface AudioRouting {
	conferenceSid: string;
	friendlyName: string;
	status: Conference['status'];
	participants: AudioRoutingParticipant[];
}

/**
 * Whether `listener` hears `speaker`, as Twilio mixes a conference: nothing before it starts;
 * a held participant hears its hold music and nobody, and nobody hears it; a muted one is heard
 * by nobody; a coaching one is heard only by the participant it coaches; everyone else is heard
 * by every other connected participant.
 */
export function hears(conf: Conference, listener: Participant, speaker: Participant): boolean {
	if (listener === speaker || conf.status !== 'in-progress') return false;
	if (listener.status !== 'connected' || speaker.status !== 'connected') return false;
	if (listener.hold || speaker.hold || speaker.muted) return false;
	if (speaker.coaching) return speaker.callSidToCoach === listener.leg.sid;
	return true;
}

export function audioRouting(conf: Conference): AudioRouting {
	const people = connected(conf);
	return {
		conferenceSid: conf.sid,
		friendlyName: conf.name,
		status: conf.status,
		participants: people.map((p) => ({
			callSid: p.leg.sid,
			label: p.label,
			hold: p.hold,
			muted: p.muted,
			coaching: p.coaching,
			callSidToCoach: p.callSidToCoach,
			hears: people.filter((o) => hears(conf, p, o)).map((o) => o.leg.sid),
			hearsHoldMusic: p.hold
		}))
	};
}

// --- REST views -----------------------------------------------------------------------------------

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

export function updateConference(s: EngineState, sidOrName: string, update: { status?: string | null; announceUrl?: string | null; announceMethod?: string | null }): ConferenceView {
	const conf = conferenceOrThrow(s, sidOrName);
	if (update.announceUrl && update.status !== 'completed') announce(s, conf, update.announceUrl, update.announceMethod, null);
	if (update.status === 'completed') endConference(s, conf, 'conference-ended-via-api', null);
	return conferenceView(s, conf);
}
