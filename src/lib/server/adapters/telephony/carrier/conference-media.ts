/**
 * Live browser audio in conferences: every pair of participants whose browsers carry audio (a
 * softphone channel, a customer phone page) and who hear each other, in either direction, gets
 * one WebRTC link relayed by the carrier, named on both sides by the other's call SID (`peer`).
 * Re-evaluated on every join, leave, hold, mute and coaching change: links that no longer match
 * who hears whom end, new ones start. One-way pairs (a coach and the customer, a muted monitor)
 * carry audio one way only: the side that is not heard does not send, the side that does not
 * hear does not play.
 */
import type { MediaSignal } from '../../../../media/media-signal';
import { connected, hears } from './conferences';
import type { Conference, ConferenceLink, EngineState, Leg } from './state';

const key = (a: Leg, b: Leg) => `${a.sid}|${b.sid}`;

function startLink(link: ConferenceLink): void {
	const offererSends = link.heardBy !== 'offerer';
	const answererSends = link.heardBy !== 'answerer';
	link.offerer.party?.media?.({ kind: 'start', role: 'offer', peer: link.answerer.sid, send: offererSends, receive: answererSends });
	link.answerer.party?.media?.({ kind: 'start', role: 'answer', peer: link.offerer.sid, send: answererSends, receive: offererSends });
}

function endLink(link: ConferenceLink): void {
	link.offerer.party?.media?.({ kind: 'end', peer: link.answerer.sid });
	link.answerer.party?.media?.({ kind: 'end', peer: link.offerer.sid });
}

/** Bring the conference's links in line with who hears whom now. */
export function refreshConferenceMedia(s: EngineState, conf: Conference): void {
	void s;
	const people = conf.status === 'completed' ? [] : connected(conf).filter((p) => p.leg.party?.takesMedia?.());
	const wanted = new Map<string, ConferenceLink>();
	for (let i = 0; i < people.length; i++) {
		for (let j = i + 1; j < people.length; j++) {
			// The one who joined first offers.
			const a = people[i]!;
			const b = people[j]!;
			const bHearsA = hears(conf, b, a);
			const aHearsB = hears(conf, a, b);
			if (!bHearsA && !aHearsB) continue;
			wanted.set(key(a.leg, b.leg), { offerer: a.leg, answerer: b.leg, heardBy: bHearsA && aHearsB ? 'both' : bHearsA ? 'answerer' : 'offerer' });
		}
	}
	for (const [k, link] of [...conf.links]) {
		const next = wanted.get(k);
		if (next && next.heardBy === link.heardBy && next.offerer.party === link.offerer.party && next.answerer.party === link.answerer.party) continue;
		conf.links.delete(k);
		endLink(link);
	}
	for (const [k, link] of wanted) {
		if (conf.links.has(k)) continue;
		conf.links.set(k, link);
		startLink(link);
	}
}

/** The conference link of `callSid` to `peer` (or its only link, for a browser that names none). */
function linkOf(s: EngineState, callSid: string, peer: string | undefined): { link: ConferenceLink; self: Leg } | null {
	for (const conf of s.conferences.values()) {
		const mine = [...conf.links.values()].filter((l) => l.offerer.sid === callSid || l.answerer.sid === callSid);
		const link = peer ? mine.find((l) => l.offerer.sid === peer || l.answerer.sid === peer) : mine.length === 1 ? mine[0] : undefined;
		if (link) return { link, self: link.offerer.sid === callSid ? link.offerer : link.answerer };
	}
	return null;
}

/** Relay a browser's signal to the other end of its conference link; false when it has no such link. */
export function relayConferenceMedia(s: EngineState, callSid: string, signal: MediaSignal, peer?: string): boolean {
	const found = linkOf(s, callSid, peer);
	if (!found) return false;
	const other = found.link.offerer === found.self ? found.link.answerer : found.link.offerer;
	if (!other.party?.media) return false;
	other.party.media({ kind: 'signal', signal, peer: callSid });
	return true;
}
