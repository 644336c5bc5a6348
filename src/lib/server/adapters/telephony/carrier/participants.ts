/**
 * Conference participants over REST, as Twilio's Participant resource: list, fetch, update
 * (hold with hold music or holdUrl, mute, coach, announce, endConferenceOnExit), remove, and add
 * (dial a party into a conference), each addressed by Call SID or by label. A participant being
 * added is listed (queued, ringing) until its call is answered or fails; removing it then
 * cancels the call.
 */
import { carrierError, resourceNotFound } from './carrier-error';
import { Interrupted } from './clock';
import { refreshConferenceMedia } from './conference-media';
import {
	announce,
	coachProblem,
	conferenceEvent,
	conferenceOrThrow,
	endConference,
	ensureConference,
	findConference,
	findParticipant,
	joinConference,
	JoinRefused,
	labelProblem,
	newParticipant,
	participantFields,
	participantView
} from './conferences';
import { answerLeg, completeLeg, hangupLeg, hear, legParams, newLeg, ring } from './legs';
import type { ParticipantInput, ParticipantUpdate, ParticipantView } from './rest';
import { twimlFailure } from './runtime';
import type { Conference, EngineState, Participant } from './state';
import { elementsOf, parseVoiceTwiml, textOf } from './twiml';
import { resolve, track } from './util';

export function listParticipants(s: EngineState, sidOrName: string): ParticipantView[] {
	const conf = conferenceOrThrow(s, sidOrName);
	return [...conf.participants.values()].map((p) => participantView(s, conf, p));
}

/** A participant by Call SID or label; Twilio's 20404 otherwise. */
export function participantOrThrow(conf: Conference, callSidOrLabel: string): Participant {
	const p = findParticipant(conf, callSidOrLabel);
	if (!p) {
		throw resourceNotFound(`/Conferences/${conf.sid}/Participants/${callSidOrLabel}.json`);
	}
	return p;
}

export function getParticipant(s: EngineState, sidOrName: string, callSidOrLabel: string): ParticipantView {
	const conf = conferenceOrThrow(s, sidOrName);
	return participantView(s, conf, participantOrThrow(conf, callSidOrLabel));
}

/** What a held participant hears: Twilio's hold music, an audio file, or the holdUrl's TwiML (Say, Play). */
function playHold(s: EngineState, p: Participant): void {
	const leg = p.leg;
	if (!p.holdUrl) return hear(leg, '[hold music]');
	const url = resolve(s, p.holdUrl);
	if (/\.(mp3|wav)(\?.*)?$/i.test(url)) return hear(leg, `[play ${url}]`);
	track(
		s,
		s.dispatcher.request({ kind: 'hold-url', url, method: p.holdMethod, params: legParams(s, leg), callSid: leg.sid }).then((r) => {
			if (!r.outcome.ok || !p.hold) return;
			try {
				for (const v of elementsOf(parseVoiceTwiml(r.outcome.body))) {
					if (v.name === 'Say') hear(leg, textOf(v));
					else if (v.name === 'Play') hear(leg, `[play ${resolve(s, textOf(v), r.documentUrl)}]`);
				}
			} catch (err) {
				twimlFailure(s, leg, err, r.documentUrl);
			}
		})
	);
}

export function updateParticipant(s: EngineState, sidOrName: string, callSidOrLabel: string, update: ParticipantUpdate): ParticipantView {
	const conf = conferenceOrThrow(s, sidOrName);
	const p = participantOrThrow(conf, callSidOrLabel);
	// Refusals first, so a refused request changes nothing.
	const coaching = update.coaching ?? (update.callSidToCoach ? true : p.coaching);
	const callSidToCoach = update.coaching === false ? null : (update.callSidToCoach ?? p.callSidToCoach);
	const coachingChanges = coaching !== p.coaching || callSidToCoach !== p.callSidToCoach;
	if (coaching && coachingChanges) {
		const problem = coachProblem(conf, callSidToCoach);
		if (problem) throw carrierError(problem.message, 400, problem.code);
	}
	if (update.holdUrl !== undefined) p.holdUrl = update.holdUrl || null;
	if (update.holdMethod !== undefined) p.holdMethod = update.holdMethod;
	if (update.hold !== undefined && update.hold !== p.hold) {
		p.hold = update.hold;
		conferenceEvent(s, conf, p.hold ? 'participant-hold' : 'participant-unhold', participantFields(p));
		if (p.hold) playHold(s, p);
	}
	if (update.muted !== undefined && update.muted !== p.muted) {
		p.muted = update.muted;
		conferenceEvent(s, conf, p.muted ? 'participant-mute' : 'participant-unmute', participantFields(p));
	}
	const endChanges = update.endConferenceOnExit !== undefined && update.endConferenceOnExit !== p.endOnExit;
	if (endChanges) p.endOnExit = update.endConferenceOnExit!;
	if (update.beepOnExit !== undefined) p.beep = update.beepOnExit ? (p.beep === 'onEnter' || p.beep === 'true' ? 'true' : 'onExit') : p.beep === 'true' || p.beep === 'onEnter' ? 'onEnter' : 'false';
	if (coachingChanges) {
		p.coaching = coaching;
		p.callSidToCoach = callSidToCoach;
	}
	if (coachingChanges || endChanges) conferenceEvent(s, conf, 'participant-modify', participantFields(p));
	conf.dateUpdated = s.clock.now();
	if (update.announceUrl) announce(s, conf, update.announceUrl, update.announceMethod, p);
	refreshConferenceMedia(s, conf);
	return participantView(s, conf, p);
}

/** Remove a participant (Twilio's "kicked"), or cancel the call of one still being added. */
export function removeParticipant(s: EngineState, sidOrName: string, callSidOrLabel: string): void {
	const conf = conferenceOrThrow(s, sidOrName);
	const p = participantOrThrow(conf, callSidOrLabel);
	if (p.status !== 'connected') {
		p.cancel?.();
		return;
	}
	p.kicked = true;
	p.leave?.();
}

function requireInput(input: ParticipantInput): void {
	if (!input.to) throw carrierError("Required parameter 'To' is missing", 400, 21201);
	if (!input.from) throw carrierError("Required parameter 'From' is missing", 400, 21603);
	if (input.timeoutSeconds !== undefined && !(Number.isInteger(input.timeoutSeconds) && input.timeoutSeconds >= 5 && input.timeoutSeconds <= 600)) {
		throw carrierError('Timeout must be an integer from 5 to 600', 400, 21216);
	}
	if (input.beep !== undefined && !['true', 'false', 'onEnter', 'onExit'].includes(input.beep)) throw carrierError(`Beep must be true, false, onEnter or onExit, not ${input.beep}`, 400, 21218);
}

/** Twilio's refusals of a Participants create, before anything is dialled. */
function refuseAdd(s: EngineState, existing: Conference | null, sidOrName: string, input: ParticipantInput, coaching: boolean): void {
	requireInput(input);
	if (!existing && /^CF[0-9a-f]{32}$/.test(sidOrName)) throw resourceNotFound(`/Conferences/${sidOrName}`);
	if (input.label) {
		const problem = labelProblem(input.label);
		if (problem) throw carrierError(problem, 400, 16023);
		if (existing && findParticipant(existing, input.label)?.label === input.label) throw carrierError(`Participant label "${input.label}" is in use by another participant`, 400, 16025);
	}
	if (coaching) {
		const problem = existing ? coachProblem(existing, input.callSidToCoach) : { code: 16028, message: 'Participant to be whispered is not present in the conference' };
		if (problem) throw carrierError(problem.message, 400, problem.code);
	}
	if (input.to.startsWith('+') && !s.carrier.callerIdAllowed?.(input.from)) {
		throw carrierError(`The source phone number provided, ${input.from}, is not yet verified for your account.`, 400, 21210);
	}
}

export function addParticipant(s: EngineState, sidOrName: string, input: ParticipantInput): ParticipantView {
	const existing = findConference(s, sidOrName);
	const coaching = input.coaching ?? Boolean(input.callSidToCoach);
	refuseAdd(s, existing, sidOrName, input, coaching);
	const name = existing?.name ?? sidOrName;
	const conf = ensureConference(
		s,
		name,
		{
			statusCallback: input.conferenceStatusCallback ?? null,
			statusCallbackMethod: input.conferenceStatusCallbackMethod ?? null,
			// Twilio's default for a conference a REST participant creates: start and end.
			statusCallbackEvent: input.conferenceStatusCallbackEvent?.join(' ') ?? 'start end',
			record: input.conferenceRecord ?? null,
			recordingStatusCallback: input.conferenceRecordingStatusCallback ?? null,
			recordingStatusCallbackMethod: input.conferenceRecordingStatusCallbackMethod ?? null,
			recordingStatusCallbackEvent: input.conferenceRecordingStatusCallbackEvent?.join(' ') ?? null
		},
		`${s.publicBaseUrl}/`
	);
	const call = s.carrier.openLeg({
		from: input.from,
		to: input.to,
		direction: 'outbound-api',
		status: 'queued',
		statusCallback: input.statusCallback ? resolve(s, input.statusCallback) : null,
		...(input.statusCallbackMethod ? { statusCallbackMethod: input.statusCallbackMethod } : {}),
		statusCallbackEvent: input.statusCallbackEvent ?? ['completed'],
		timeoutSeconds: input.timeoutSeconds ?? 60
	});
	const leg = newLeg(s, call.sid, null);
	if (input.record) leg.callRecording = { startedAt: s.clock.now().getTime() };
	const p = newParticipant(
		s,
		leg,
		{
			label: input.label ?? null,
			muted: input.muted ?? false,
			coaching,
			callSidToCoach: coaching ? (input.callSidToCoach ?? null) : null,
			startConferenceOnEnter: input.startConferenceOnEnter ?? true,
			endConferenceOnExit: input.endConferenceOnExit ?? false,
			beep: input.beep ?? 'true'
		},
		'queued'
	);
	p.cancel = () => hangupLeg(s, leg);
	conf.participants.set(leg.sid, p);
	const view = participantView(s, conf, p);
	track(s, dialParticipant(s, conf, p, input));
	return view;
}

/** Ring the participant's call; answered, it joins the conference; otherwise its entry goes. */
async function dialParticipant(s: EngineState, conf: Conference, p: Participant, input: ParticipantInput): Promise<void> {
	const leg = p.leg;
	const ctl = new AbortController();
	leg.run = ctl;
	try {
		p.status = 'ringing';
		const result = await ring(s, leg, input.to, new Map(), (input.timeoutSeconds ?? 60) * 1000, ctl.signal, input.from);
		if (result !== 'answered' || conf.status === 'completed') return;
		answerLeg(s, leg);
		if (leg.callRecording) leg.callRecording.startedAt = s.clock.now().getTime();
		await joinConference(s, leg, conf.name, { waitUrl: input.waitUrl ?? null, waitMethod: input.waitMethod ?? null }, `${s.publicBaseUrl}/`, ctl.signal, p);
	} catch (err) {
		if (err instanceof JoinRefused) s.dispatcher.alert({ level: 'error', code: err.code, message: err.message, url: null, kind: null, callSid: leg.sid, messageSid: null });
		else if (!(err instanceof Interrupted)) throw err;
	} finally {
		if (p.status !== 'complete') {
			// Never connected: the entry goes, and a conference nobody reached is gone with it.
			p.status = 'failed';
			if (conf.participants.get(leg.sid) === p) conf.participants.delete(leg.sid);
			if (conf.status === 'init' && conf.participants.size === 0) endConference(s, conf, 'last-participant-left', null);
		}
		p.cancel = null;
		// Redirected over REST (calls(sid).update): the call leaves the conference and runs its new TwiML.
		const reason: unknown = ctl.signal.reason;
		const redirected = ctl.signal.aborted && typeof reason === 'object' && reason !== null && 'redirect' in reason;
		if (leg.run === ctl) leg.run = null;
		if (!redirected) await completeLeg(s, leg);
	}
}
