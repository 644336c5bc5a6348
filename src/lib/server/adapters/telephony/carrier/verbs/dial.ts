/**
 * <Dial>: bridges the call to a Queue, a Conference, or Clients/Numbers (bridges.ts,
 * conferences.ts), then requests the action with DialCallStatus.
 */
import { callerIdProblem, dialQueue, dialTargets } from '../bridges';
import { Interrupted } from '../clock';
import { dialConference } from '../conferences';
import { loadTwiml } from '../runtime';
import type { Bridge, EngineState, Leg, Source, Step } from '../state';
import { elementsOf, textOf, type XmlElement } from '../twiml';
import { attrNum, HANGUP, method, resolve } from '../util';

export async function dial(s: EngineState, leg: Leg, verb: XmlElement, docUrl: string, signal: AbortSignal): Promise<Step> {
	const nouns = elementsOf(verb);
	const bareNumber = textOf(verb);
	const timeoutMs = attrNum(verb.attrs.timeout, 30) * 1000;
	const record = verb.attrs.record ?? 'do-not-record';
	const recording: Bridge['recording'] =
		record.startsWith('record-from-')
			? {
					channels: record.endsWith('-dual') ? 2 : 1,
					statusCallback: verb.attrs.recordingStatusCallback ? resolve(s, verb.attrs.recordingStatusCallback, docUrl) : null,
					events: (verb.attrs.recordingStatusCallbackEvent ?? 'completed').split(/[\s,]+/),
					method: method(verb.attrs.recordingStatusCallbackMethod),
					source: 'DialVerb'
				}
			: null;
	let outcome: { status: string; dialSid: string | null; seconds: number | null; recording: { url: string; sid: string } | null };
	let hungUp = false;
	try {
		const queue = nouns.find((n) => n.name === 'Queue');
		const conference = nouns.find((n) => n.name === 'Conference');
		if (queue) outcome = await dialQueue(s, leg, queue, timeoutMs, recording, docUrl, signal);
		else if (conference) outcome = await dialConference(s, leg, conference, docUrl, signal);
		else {
			const targets = nouns.filter((n) => n.name === 'Client' || n.name === 'Number');
			if (!targets.length && bareNumber) targets.push({ name: 'Number', attrs: {}, children: [bareNumber] });
			const problem = callerIdProblem(s, leg, verb, targets);
			if (problem) {
				// Twilio refuses the Dial before ringing anyone: error 13214, DialCallStatus=failed.
				s.dispatcher.alert({ level: 'error', code: 13214, message: problem, url: docUrl, kind: null, callSid: leg.sid, messageSid: null });
				outcome = { status: 'failed', dialSid: null, seconds: null, recording: null };
			} else outcome = await dialTargets(s, leg, verb, targets, timeoutMs, recording, docUrl, signal);
		}
	} catch (err) {
		if (!(err instanceof Interrupted) || err.reason !== HANGUP) throw err;
		hungUp = true;
		outcome = (err as Interrupted & { dial?: typeof outcome }).dial ?? { status: 'canceled', dialSid: null, seconds: null, recording: null };
	}
	if (!verb.attrs.action) {
		if (hungUp) throw new Interrupted(HANGUP);
		return 'continue';
	}
	const params: Record<string, string> = {
		DialCallStatus: outcome.status,
		...(outcome.dialSid ? { DialCallSid: outcome.dialSid } : {}),
		...(outcome.seconds !== null ? { DialCallDuration: String(outcome.seconds), DialBridged: 'true' } : { DialBridged: 'false' }),
		...(outcome.recording ? { RecordingUrl: outcome.recording.url, RecordingSid: outcome.recording.sid } : {})
	};
	const next: Source = { kind: 'dial-action', url: resolve(s, verb.attrs.action, docUrl), method: method(verb.attrs.method), params };
	if (hungUp) {
		// Twilio still requests the action after the caller hung up; the answer is ignored.
		await loadTwiml(s, leg, { ...next, notifyOnly: true }, new AbortController().signal);
		throw new Interrupted(HANGUP);
	}
	return { next };
}
