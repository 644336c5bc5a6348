/**
 * Bridges between two legs: opening, waiting on and closing them (recording, live media), and the
 * Dials that make them: to Clients/Numbers and to a Queue.
 */
import type { CallProgressEvent } from '../port';
import { Interrupted } from './clock';
import { answerLeg, callOf, completeLeg, hear, legParams, newLeg, ring } from './legs';
import { PhoneCall } from './parties';
import { ownsNumber } from './numbers';
import { queueNamed, timeInQueue } from './queues';
import { makeRecording, recordingParams } from './recordings';
import { twimlFailure, warn } from './runtime';
import type { Bridge, EngineState, Leg } from './state';
import { elementsOf, parseVoiceTwiml, textOf, type XmlElement } from './twiml';
import { attrNum, FOREVER, linked, method, newSid, resolve, wait } from './util';
import { play } from './verbs/play';
import { say } from './verbs/say';

export function closeBridge(bridge: Bridge | null): void {
	if (!bridge || bridge.closed) return;
	bridge.closed = true;
	bridge.a.bridge = null;
	bridge.b.bridge = null;
	if (bridge.media) {
		bridge.a.party?.media?.({ kind: 'end' });
		bridge.b.party?.media?.({ kind: 'end' });
	}
	for (const wake of [...bridge.listeners]) wake();
}

export function openBridge(s: EngineState, a: Leg, b: Leg, recording: Bridge['recording']): Bridge {
	const bridge: Bridge = {
		a,
		b,
		startedAt: s.clock.now().getTime(),
		closed: false,
		listeners: new Set(),
		recording,
		recordingSid: recording ? newSid('RE') : null,
		pauses: [],
		// Two browsers (a softphone, a phone page): their audio flows over WebRTC, the caller's side offering.
		media: Boolean(a.party?.takesMedia?.() && b.party?.takesMedia?.())
	};
	a.bridge = bridge;
	b.bridge = bridge;
	if (bridge.media) {
		a.party?.media?.({ kind: 'start', role: 'offer' });
		b.party?.media?.({ kind: 'start', role: 'answer' });
	}
	return bridge;
}

/** Wait until the bridge closes (either side hung up or left). */
export async function waitBridge(s: EngineState, bridge: Bridge, signal: AbortSignal, limitMs = FOREVER): Promise<void> {
	await wait(s, limitMs, signal, (wake) => {
		if (bridge.closed) wake();
		bridge.listeners.add(wake);
		return () => bridge.listeners.delete(wake);
	});
}

export async function endBridge(s: EngineState, bridge: Bridge): Promise<{ seconds: number; recording: { url: string; sid: string } | null }> {
	closeBridge(bridge);
	const endedAt = s.clock.now().getTime();
	const seconds = Math.round((endedAt - bridge.startedAt) / 1000);
	let recording: { url: string; sid: string } | null = null;
	if (bridge.recording) {
		const r = bridge.recording;
		// Paused stretches, in seconds from the start of the recording: skipped ones leave the file, the rest fall silent.
		const pauses = bridge.pauses.map((p) => ({ from: (p.from - bridge.startedAt) / 1000, to: ((p.until ?? endedAt) - bridge.startedAt) / 1000, skip: p.skip }));
		const skipped = pauses.filter((p) => p.skip).reduce((sum, p) => sum + (p.to - p.from), 0);
		const recorded = Math.max(0, Math.round(seconds - skipped));
		const rec = await makeRecording(s, bridge.a, seconds, r.channels, bridge.b, r.source, { sid: bridge.recordingSid, pauses, durationSeconds: recorded });
		recording = rec;
		if (r.statusCallback && r.events.includes('completed')) {
			s.dispatcher.notify({
				kind: 'recording-status',
				url: r.statusCallback,
				method: r.method,
				params: recordingParams(s, bridge.a, rec, recorded, r.channels, r.source, bridge.startedAt),
				callSid: bridge.a.sid
			});
		}
	}
	return { seconds, recording };
}

/**
 * Why Twilio would refuse this Dial's caller ID for its `<Number>` targets (13214), or null: an
 * explicit `callerId` must be a number the account owns; without one the caller's own number is
 * passed on, which a softphone (`client:...`) does not have.
 */
export function callerIdProblem(s: EngineState, leg: Leg, verb: XmlElement, targets: XmlElement[]): string | null {
	if (!targets.some((t) => t.name === 'Number')) return null;
	const callerId = verb.attrs.callerId;
	if (callerId !== undefined) {
		return ownsNumber(s, callerId) ? null : `Dial: Invalid callerId value "${callerId}": it must be a phone number on the account or verified with it.`;
	}
	const from = callOf(s, leg).from;
	return from.startsWith('client:') ? `Dial: a call from ${from} needs a callerId (a phone number on the account) to dial a number.` : null;
}

export async function dialTargets(
	s: EngineState,
	leg: Leg,
	verb: XmlElement,
	targets: XmlElement[],
	timeoutMs: number,
	recording: Bridge['recording'],
	docUrl: string,
	signal: AbortSignal
): Promise<{ status: string; dialSid: string | null; seconds: number | null; recording: { url: string; sid: string } | null }> {
	const parent = callOf(s, leg);
	const callerId = verb.attrs.callerId ?? parent.from;
	const ringing = linked(signal);
	let winner: Leg | null = null;
	const results = targets.map(async (noun) => {
		const isClient = noun.name === 'Client';
		const identity = elementsOf(noun).find((n) => n.name === 'Identity');
		const address = isClient ? `client:${identity ? textOf(identity) : textOf(noun)}` : textOf(noun);
		const params = new Map<string, string>();
		for (const p of elementsOf(noun)) if (p.name === 'Parameter' && p.attrs.name) params.set(p.attrs.name, p.attrs.value ?? '');
		const events = (noun.attrs.statusCallbackEvent ?? '').split(/[\s,]+/).filter(Boolean) as CallProgressEvent[];
		const call = s.carrier.openLeg({
			from: isClient ? parent.from : callerId,
			to: address,
			direction: 'outbound-dial',
			status: 'queued',
			parentCallSid: leg.sid,
			statusCallback: noun.attrs.statusCallback ? resolve(s, noun.attrs.statusCallback, docUrl) : null,
			statusCallbackMethod: method(noun.attrs.statusCallbackMethod),
			statusCallbackEvent: events.length ? events : ['completed']
		});
		const child = newLeg(s, call.sid, null);
		// A softphone waiting on answerOnBridge hears it ring (a phone network gives early media: the ringback).
		if (!leg.answered) leg.party?.ringing?.(!isClient);
		const result = await ring(s, child, address, params, timeoutMs, ringing.signal, isClient ? parent.from : callerId).catch((err: unknown) => {
			if (err instanceof Interrupted) return 'canceled' as const;
			throw err;
		});
		if (result === 'answered' && !winner) {
			winner = child;
			ringing.abort('lost');
		} else if (result === 'answered') {
			await completeLeg(s, child, 'canceled');
		}
		return result;
	});
	const settled = await Promise.all(results).finally(() => ringing.release());
	if (signal.aborted) throw new Interrupted(signal.reason);
	const child = winner as Leg | null;
	if (!child) {
		const status = settled.includes('busy') && settled.every((r) => r === 'busy' || r === 'canceled') ? 'busy' : settled.includes('no-answer') ? 'no-answer' : 'failed';
		return { status: status === 'failed' && settled.length === 0 ? 'failed' : status, dialSid: null, seconds: null, recording: null };
	}
	answerLeg(s, leg);
	s.carrier.advanceCall(child.sid, 'in-progress');
	child.answered = true;
	child.party?.answered();
	const bridge = openBridge(s, leg, child, recording);
	if (child.party instanceof PhoneCall && child.party.machine) {
		// The answering machine's greeting and tone, heard by the caller.
		hear(leg, child.party.owner?.greeting ?? '');
		hear(leg, '[beep]');
	}
	try {
		await waitBridge(s, bridge, signal, attrNum(verb.attrs.timeLimit, 14_400) * 1000);
	} catch (err) {
		if (err instanceof Interrupted) {
			const ended = await endBridge(s, bridge);
			await completeLeg(s, child);
			Object.assign(err, { dial: { status: 'completed', dialSid: child.sid, seconds: ended.seconds, recording: ended.recording } });
		}
		throw err;
	}
	const ended = await endBridge(s, bridge);
	// A child redirected over REST left the bridge and runs its new TwiML; only the parent's Dial ends.
	if (!leftBridge(child)) await completeLeg(s, child);
	return { status: 'completed', dialSid: child.sid, seconds: ended.seconds, recording: ended.recording };
}

/** The leg left its bridge by a REST redirect (onRedirect in originate.ts) and is running new TwiML. */
export function leftBridge(leg: Leg): boolean {
	return leg.run !== null && !leg.finalized && !leg.hangupRequested;
}

export async function dialQueue(
	s: EngineState,
	leg: Leg,
	noun: XmlElement,
	timeoutMs: number,
	recording: Bridge['recording'],
	docUrl: string,
	signal: AbortSignal
): Promise<{ status: string; dialSid: string | null; seconds: number | null; recording: { url: string; sid: string } | null }> {
	const queue = queueNamed(s, textOf(noun));
	const found = await wait(s, timeoutMs, signal, (wake) => {
		if (queue.entries.some((e) => !e.bridge)) wake();
		queue.listeners.add(wake);
		return () => queue.listeners.delete(wake);
	});
	const entry = queue.entries.find((e) => !e.bridge);
	if (!found || !entry) return { status: 'no-answer', dialSid: null, seconds: null, recording: null };
	const caller = entry.leg;
	const bridge = openBridge(s, caller, leg, recording);
	entry.bridge = bridge;
	const queueTime = timeInQueue(s, entry);
	queue.entries = queue.entries.filter((e) => e !== entry);
	entry.dequeue?.();
	answerLeg(s, leg);
	if (noun.attrs.url) {
		// The url's TwiML plays to the dequeued caller before the bridge (Play, Say, Pause, Redirect).
		const result = await s.dispatcher.request({
			kind: 'dial-queue-url',
			url: resolve(s, noun.attrs.url, docUrl),
			method: method(noun.attrs.method),
			params: legParams(s, caller, { QueueSid: queue.sid, QueueTime: String(queueTime), DequeingCallSid: leg.sid }),
			callSid: caller.sid
		});
		if (result.outcome.ok) {
			try {
				const root = parseVoiceTwiml(result.outcome.body);
				for (const v of elementsOf(root)) {
					if (v.name === 'Say') await say(s, caller, v, signal);
					else if (v.name === 'Play') await play(s, caller, v, signal);
					else if (v.name === 'Pause') await s.clock.sleep(attrNum(v.attrs.length, 1) * 1000, signal);
					else warn(s, caller, 12200, `<${v.name}> is not allowed in a <Queue url> document and was skipped`, result.documentUrl);
				}
			} catch (err) {
				if (err instanceof Interrupted) throw err;
				twimlFailure(s, caller, err, result.documentUrl);
			}
		}
	}
	bridge.startedAt = s.clock.now().getTime();
	try {
		await waitBridge(s, bridge, signal);
	} catch (err) {
		if (err instanceof Interrupted) {
			const ended = await endBridge(s, bridge);
			Object.assign(err, { dial: { status: 'completed', dialSid: caller.sid, seconds: ended.seconds, recording: ended.recording } });
		}
		throw err;
	}
	const ended = await endBridge(s, bridge);
	return { status: 'completed', dialSid: caller.sid, seconds: ended.seconds, recording: ended.recording };
}
