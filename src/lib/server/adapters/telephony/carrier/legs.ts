/**
 * Call legs and their lifecycle: creation, ringing the far end, answer, hang-up, completion
 * (final status and its callback), and what tests and the CLI ask of a leg.
 */
import type { CallStatus } from '../port';
import { closeBridge } from './bridges';
import type { LocalCall, SignedCallback } from './local-carrier';
import { callParams } from './params';
import { DeviceCall, type LegParty, PhoneCall } from './parties';
import { makeRecording } from './recordings';
import type { EngineState, Leg } from './state';
import { FINAL, HANGUP, LEG_RETENTION_MS, wait } from './util';
import { stopTranscriptions } from './verbs/start';

/** A party answered the leg it was offered (the first answer wins; the ring loop wakes). */
export function answerOffer(s: EngineState, callSid: string, party: LegParty): void {
	const leg = s.legs.get(callSid);
	if (!leg || leg.finalized || leg.ringOutcome || !leg.offers.includes(party)) return;
	leg.ringOutcome = 'answered';
	leg.party = party;
	for (const wake of leg.ringListeners) wake();
}

/** A party declined the leg it was offered (the dial sees busy). */
export function declineOffer(s: EngineState, callSid: string, party: LegParty): void {
	const leg = s.legs.get(callSid);
	if (!leg || leg.finalized || leg.ringOutcome || !leg.offers.includes(party)) return;
	leg.ringOutcome = 'declined';
	for (const wake of leg.ringListeners) wake();
}

/** The far end of `callSid` hung up. */
export function hangUp(s: EngineState, callSid: string): void {
	const leg = s.legs.get(callSid);
	if (leg) hangupLeg(s, leg);
}

/** The far end of `callSid` pressed keys (DTMF), for Gather and Record. */
export function pressKeys(s: EngineState, callSid: string, digits: string): void {
	const leg = s.legs.get(callSid);
	if (!leg || leg.finalized) return;
	leg.digits += digits;
	for (const wake of [...leg.digitListeners]) wake();
}

/** What a leg's far end has heard so far (Say texts, `[play ...]`), for tests and the CLI. */
export function heard(s: EngineState, callSid: string): string[] {
	return [...(s.legs.get(callSid)?.heard ?? [])];
}

/** Legs whose calls are not over, for diagnostics. */
export function liveCalls(s: EngineState): string[] {
	return [...s.legs.values()].filter((l) => !l.finalized).map((l) => l.sid);
}

/** A new leg for the call `sid`, tracked by the engine. */
export function newLeg(s: EngineState, sid: string, party: LegParty | null): Leg {
	const leg: Leg = {
		sid,
		party,
		run: null,
		digits: '',
		digitListeners: new Set(),
		ringListeners: new Set(),
		ringOutcome: null,
		offers: party ? [party] : [],
		answered: false,
		finalized: false,
		hangupRequested: false,
		bridge: null,
		script: [],
		heard: [],
		recordLoops: 0,
		callRecording: null,
		number: null
	};
	s.legs.set(sid, leg);
	return leg;
}

/** The carrier's record of the leg's call. */
export function callOf(s: EngineState, leg: Leg): LocalCall {
	const call = s.carrier.calls.get(leg.sid);
	if (!call) throw new Error(`call ${leg.sid} vanished`);
	return call;
}

export function legParams(s: EngineState, leg: Leg, extra: Record<string, string> = {}): Record<string, string> {
	const params = callParams(callOf(s, leg));
	// Requests made after the caller hung up (Dial/Enqueue/Record actions) already say so.
	if (leg.hangupRequested && !FINAL.has(params.CallStatus as CallStatus)) params.CallStatus = 'completed';
	return { ...params, ...extra };
}

export function hear(leg: Leg, text: string): void {
	leg.heard.push(text);
	leg.party?.hear(text);
}

export function answerLeg(s: EngineState, leg: Leg): void {
	if (leg.answered || leg.finalized) return;
	leg.answered = true;
	const call = callOf(s, leg);
	if (call.status === 'queued' || call.status === 'initiated' || call.status === 'ringing') s.carrier.advanceCall(leg.sid, 'in-progress');
	leg.party?.answered();
}

export function hangupLeg(s: EngineState, leg: Leg): void {
	if (leg.finalized || leg.hangupRequested) return;
	leg.hangupRequested = true;
	if (leg.run) leg.run.abort(HANGUP);
	else if (leg.ringOutcome === null && !leg.answered) {
		// Still ringing: the ring loop sees the hang-up as a cancel.
		for (const wake of leg.ringListeners) wake();
		if (!leg.ringListeners.size) void completeLeg(s, leg, 'canceled');
	} else void completeLeg(s, leg);
}

/** Ended legs stay inspectable (heard, scenario state) for an hour, then the engine lets them go. */
export function forgetLater(s: EngineState, leg: Leg): void {
	void s.clock.sleep(LEG_RETENTION_MS).then(() => s.legs.delete(leg.sid));
}

/** The call ended from outside (REST `Status=completed`): stop whatever runs on it. */
export function externalEnd(s: EngineState, leg: Leg): void {
	leg.finalized = true;
	stopTranscriptions(s, leg);
	forgetLater(s, leg);
	leg.hangupRequested = true;
	leg.bridge?.listeners.forEach((wake) => wake());
	closeBridge(leg.bridge);
	if (leg.run) leg.run.abort(HANGUP);
	for (const wake of leg.ringListeners) wake();
	for (const offer of leg.offers) if (offer !== leg.party) offer.canceled();
	leg.party?.ended(callOf(s, leg).status);
}

export async function completeLeg(s: EngineState, leg: Leg, status: CallStatus = 'completed'): Promise<void> {
	const bridge = leg.bridge;
	closeBridge(bridge);
	for (const q of s.queues.values()) q.entries = q.entries.filter((e) => e.leg !== leg);
	if (leg.finalized) return;
	leg.finalized = true;
	stopTranscriptions(s, leg);
	forgetLater(s, leg);
	const call = callOf(s, leg);
	if (FINAL.has(call.status)) return;
	let extra: Record<string, string> = {};
	if (leg.callRecording && status === 'completed') {
		const seconds = Math.round((s.clock.now().getTime() - leg.callRecording.startedAt) / 1000);
		const rec = await makeRecording(s, leg, seconds, 2, leg.bridge ? (leg.bridge.a === leg ? leg.bridge.b : leg.bridge.a) : null, 'OutboundAPI');
		extra = { RecordingUrl: rec.url, RecordingSid: rec.sid, RecordingDuration: String(seconds) };
	}
	const finalStatus = status === 'completed' && !leg.answered && call.status !== 'in-progress' ? 'canceled' : status;
	s.carrier.advanceCallWith(leg.sid, finalStatus, extra);
	for (const offer of leg.offers) if (offer !== leg.party) offer.canceled();
	leg.party?.ended(finalStatus);
}

/** Ring one leg's party; resolves with how the ringing ended. */
export async function ring(
	s: EngineState,
	child: Leg,
	target: string,
	customParameters: Map<string, string>,
	timeoutMs: number,
	signal: AbortSignal,
	from: string
): Promise<'answered' | 'busy' | 'no-answer' | 'canceled'> {
	s.carrier.advanceCall(child.sid, 'initiated');
	const phone = target.startsWith('client:') ? undefined : s.phones.get(target);
	if (phone?.mode === 'busy') {
		// An engaged line: the network answers busy at once, without ringing.
		await completeLeg(s, child, 'busy');
		return 'busy';
	}
	s.carrier.advanceCall(child.sid, 'ringing');
	const offers: LegParty[] = [];
	if (target.startsWith('client:')) {
		const devices = [...(s.devices.get(target.slice('client:'.length)) ?? [])];
		const calls = devices.map(
			() =>
				new DeviceCall(s.host, {
					sid: child.sid,
					parameters: { CallSid: child.sid, AccountSid: s.carrier.accountSid, From: from, To: target },
					customParameters,
					direction: 'INCOMING'
				})
		);
		offers.push(...calls);
		child.offers = offers;
		calls.forEach((call, n) => devices[n]?.offer(call));
	} else {
		if (phone) {
			const call = new PhoneCall(s.host, { sid: child.sid, from, to: target, direction: 'incoming' });
			offers.push(call);
			child.offers = offers;
			phone.ring(call);
			if (phone.mode === 'voicemail') void s.clock.sleep(phone.voicemailAfterMs).then(() => call.answer());
			else if (phone.autoAnswer) void s.clock.sleep(s.options.answerDelayMs ?? 2000).then(() => call.answer());
		} else if (s.options.answerDelayMs !== null) {
			const virtual = new PhoneCall(s.host, { sid: child.sid, from, to: target, direction: 'incoming' });
			child.offers = [virtual];
			void s.clock.sleep(s.options.answerDelayMs ?? 2000).then(() => virtual.answer());
		}
	}
	let woke: boolean;
	try {
		woke = await wait(s, timeoutMs, signal, (wake) => {
			if (child.ringOutcome || child.hangupRequested) wake();
			child.ringListeners.add(wake);
			return () => child.ringListeners.delete(wake);
		});
	} catch (err) {
		await completeLeg(s, child, 'canceled');
		throw err;
	}
	if (child.finalized) return 'canceled';
	if (!woke) {
		await completeLeg(s, child, 'no-answer');
		return 'no-answer';
	}
	if (child.ringOutcome === 'answered') return 'answered';
	await completeLeg(s, child, child.ringOutcome === 'declined' ? 'busy' : 'canceled');
	return child.ringOutcome === 'declined' ? 'busy' : 'canceled';
}

/** A call changed status: its status callback goes out, and a leg ended from outside (REST `Status=completed`) stops. */
export function onCallStatus(s: EngineState, call: LocalCall, callback: SignedCallback | null): void {
	if (callback) s.dispatcher.notify({ kind: 'call-status', url: callback.url, method: callback.method, params: callback.params, callSid: call.sid });
	const leg = s.legs.get(call.sid);
	if (leg && FINAL.has(call.status) && !leg.finalized) externalEnd(s, leg);
}
