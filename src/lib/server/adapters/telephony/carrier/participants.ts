/**
 * Conference participants over REST: list, fetch, update (hold with hold music, mute, coach),
 * remove, and add (dial a party into a conference).
 */
import { carrierError, resourceNotFound } from './carrier-error';
import { Interrupted } from './clock';
import { conferenceEvent, conferenceOrThrow, ensureConference, findConference, joinConference, participantFields, participantView } from './conferences';
import { answerLeg, completeLeg, hear, legParams, newLeg, ring } from './legs';
import type { ParticipantInput, ParticipantUpdate, ParticipantView } from './rest';
import { twimlFailure } from './runtime';
import type { Conference, EngineState, Participant } from './state';
import { elementsOf, parseVoiceTwiml, textOf } from './twiml';
import { resolve, track } from './util';

export function listParticipants(s: EngineState, sidOrName: string): ParticipantView[] {
	const conf = conferenceOrThrow(s, sidOrName);
	return [...conf.participants.values()].map((p) => participantView(s, conf, p));
}

export function participantOrThrow(conf: Conference, callSid: string): Participant {
	const p = conf.participants.get(callSid);
	if (!p) {
		throw resourceNotFound(`/Conferences/${conf.sid}/Participants/${callSid}`);
	}
	return p;
}

export function getParticipant(s: EngineState, sidOrName: string, callSid: string): ParticipantView {
	const conf = conferenceOrThrow(s, sidOrName);
	return participantView(s, conf, participantOrThrow(conf, callSid));
}

export function updateParticipant(s: EngineState, sidOrName: string, callSid: string, update: ParticipantUpdate): ParticipantView {
	const conf = conferenceOrThrow(s, sidOrName);
	const p = participantOrThrow(conf, callSid);
	if (update.coaching === true && update.callSidToCoach) {
		const coached = conf.participants.get(update.callSidToCoach);
		if (coached?.hold) {
			throw carrierError('Cannot coach a participant that is on hold', 400, 16025);
		}
	}
	if (update.hold !== undefined && update.hold !== p.hold) {
		p.hold = update.hold;
		conferenceEvent(s, conf, p.hold ? 'participant-hold' : 'participant-unhold', participantFields(p));
		if (p.hold) {
			if (update.holdUrl) {
				const leg = p.leg;
				track(s, 
					s.dispatcher
						.request({ kind: 'hold-url', url: resolve(s, update.holdUrl), method: update.holdMethod ?? 'POST', params: legParams(s, leg), callSid: leg.sid })
						.then((r) => {
							if (!r.outcome.ok) return;
							try {
								for (const v of elementsOf(parseVoiceTwiml(r.outcome.body))) {
									if (v.name === 'Say') hear(leg, textOf(v));
									else if (v.name === 'Play') hear(leg, `[play ${textOf(v)}]`);
								}
							} catch (err) {
								twimlFailure(s, leg, err, r.documentUrl);
							}
						})
				);
			} else hear(p.leg, '[hold music]');
		}
	}
	if (update.muted !== undefined && update.muted !== p.muted) {
		p.muted = update.muted;
		conferenceEvent(s, conf, p.muted ? 'participant-mute' : 'participant-unmute', participantFields(p));
	}
	if (update.coaching !== undefined || update.callSidToCoach !== undefined) {
		p.coaching = update.coaching ?? p.coaching;
		p.callSidToCoach = update.callSidToCoach ?? p.callSidToCoach;
		conferenceEvent(s, conf, 'participant-modify', participantFields(p));
	}
	return participantView(s, conf, p);
}

export function removeParticipant(s: EngineState, sidOrName: string, callSid: string): void {
	const conf = conferenceOrThrow(s, sidOrName);
	const p = participantOrThrow(conf, callSid);
	p.kicked = true;
	p.leave?.();
}

export function addParticipant(s: EngineState, sidOrName: string, input: ParticipantInput): ParticipantView {
	const existing = findConference(s, sidOrName);
	const name = existing?.name ?? sidOrName;
	const call = s.carrier.openLeg({
		from: input.from,
		to: input.to,
		direction: 'outbound-api',
		status: 'queued',
		statusCallback: input.statusCallback ?? null,
		statusCallbackEvent: input.statusCallbackEvent ?? ['completed'],
		timeoutSeconds: input.timeoutSeconds ?? 60
	});
	const leg = newLeg(s, call.sid, null);
	const attrs: Record<string, string> = {
		startConferenceOnEnter: String(input.startConferenceOnEnter ?? true),
		endConferenceOnExit: String(input.endConferenceOnExit ?? false),
		muted: String(input.muted ?? false),
		...(input.coaching ? { coaching: 'true' } : {}),
		...(input.callSidToCoach ? { callSidToCoach: input.callSidToCoach } : {}),
		...(input.conferenceStatusCallback ? { statusCallback: input.conferenceStatusCallback } : {}),
		...(input.conferenceStatusCallbackEvent ? { statusCallbackEvent: input.conferenceStatusCallbackEvent.join(' ') } : {})
	};
	track(s, 
		(async () => {
			const ctl = new AbortController();
			leg.run = ctl;
			try {
				const result = await ring(s, leg, input.to, new Map(), (input.timeoutSeconds ?? 60) * 1000, ctl.signal, input.from);
				if (result !== 'answered') return;
				answerLeg(s, leg);
				await joinConference(s, leg, name, attrs, `${s.publicBaseUrl}/`, ctl.signal, input.label ?? null);
			} catch (err) {
				if (!(err instanceof Interrupted)) throw err;
			} finally {
				if (leg.run === ctl) leg.run = null;
				await completeLeg(s, leg);
			}
		})()
	);
	const conf = ensureConference(s, name, attrs, `${s.publicBaseUrl}/`);
	const now = s.clock.now();
	return {
		callSid: call.sid,
		conferenceSid: conf.sid,
		accountSid: s.carrier.accountSid,
		label: input.label ?? null,
		hold: false,
		muted: input.muted ?? false,
		coaching: input.coaching ?? false,
		callSidToCoach: input.callSidToCoach ?? null,
		startConferenceOnEnter: input.startConferenceOnEnter ?? true,
		endConferenceOnExit: input.endConferenceOnExit ?? false,
		status: 'queued',
		dateCreated: now,
		dateUpdated: now
	};
}
