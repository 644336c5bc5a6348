/**
 * The TwiML runtime: fetches a leg's document (with Twilio's fallback), runs its verbs in order,
 * each in its own module under verbs/, and completes the call when the document ends.
 */
import { Interrupted } from './clock';
import { answerLeg, completeLeg, hear, legParams } from './legs';
import type { EngineState, Leg, Source, Step } from './state';
import { elementsOf, parseVoiceTwiml, TwimlError, UNSUPPORTED_VERBS, type XmlElement } from './twiml';
import { attrBool, HANGUP } from './util';
import { dial } from './verbs/dial';
import { enqueue } from './verbs/enqueue';
import { gather } from './verbs/gather';
import { hangup } from './verbs/hangup';
import { leave } from './verbs/leave';
import { pause } from './verbs/pause';
import { play } from './verbs/play';
import { record } from './verbs/record';
import { redirect } from './verbs/redirect';
import { reject } from './verbs/reject';
import { say } from './verbs/say';
import { start } from './verbs/start';
import type { DeliveryInput } from './webhooks';

export async function runTwiml(s: EngineState, leg: Leg, source: Source): Promise<void> {
	const ctl = new AbortController();
	leg.run = ctl;
	let redirected = false;
	try {
		let next: Source | null = source;
		while (next && !ctl.signal.aborted) {
			const doc = await loadTwiml(s, leg, next, ctl.signal);
			if (!doc) break;
			next = await execute(s, leg, doc.root, doc.url, ctl.signal);
		}
	} catch (err) {
		if (!(err instanceof Interrupted)) throw err;
		redirected = err.reason !== HANGUP;
	} finally {
		if (leg.run === ctl) leg.run = null;
		if (!redirected && leg.run === null) await completeLeg(s, leg);
	}
}

/** Fetch (or take inline) a document and parse it, falling back as Twilio does; null ends the call. */
export async function loadTwiml(s: EngineState, leg: Leg, source: Source, signal: AbortSignal): Promise<{ root: XmlElement; url: string } | null> {
	if ('twiml' in source) {
		try {
			return { root: parseVoiceTwiml(source.twiml), url: source.baseUrl };
		} catch (err) {
			twimlFailure(s, leg, err, null);
			return null;
		}
	}
	const input: DeliveryInput = {
		kind: source.kind,
		url: source.url,
		method: source.method,
		params: legParams(s, leg, source.params),
		fallbackUrl: source.fallbackUrl ?? null,
		...(source.fallbackMethod ? { fallbackMethod: source.fallbackMethod } : {}),
		callSid: leg.sid
	};
	const result = await s.dispatcher.request(input);
	if (signal.aborted) throw new Interrupted(signal.reason);
	if (source.notifyOnly) return null;
	if (!result.outcome.ok) {
		answerLeg(s, leg);
		hear(leg, 'We are sorry, an application error has occurred.');
		return null;
	}
	try {
		return { root: parseVoiceTwiml(result.outcome.body), url: result.documentUrl };
	} catch (err) {
		twimlFailure(s, leg, err, result.documentUrl);
		if (!input.fallbackUrl || result.viaFallback) {
			answerLeg(s, leg);
			hear(leg, 'We are sorry, an application error has occurred.');
			return null;
		}
		const fallback = await s.dispatcher.fallback(input, err instanceof TwimlError ? err.code : 12100, result.documentUrl);
		if (signal.aborted) throw new Interrupted(signal.reason);
		if (!fallback.outcome.ok) return null;
		try {
			return { root: parseVoiceTwiml(fallback.outcome.body), url: fallback.documentUrl };
		} catch (again) {
			twimlFailure(s, leg, again, fallback.documentUrl);
			return null;
		}
	}
}

export function twimlFailure(s: EngineState, leg: Leg, err: unknown, url: string | null): void {
	if (!(err instanceof TwimlError)) throw err;
	s.dispatcher.alert({ level: 'error', code: err.code, message: `Document parse failure: ${err.message}`, url, kind: null, callSid: leg.sid, messageSid: null });
}

export async function execute(s: EngineState, leg: Leg, root: XmlElement, docUrl: string, signal: AbortSignal): Promise<Source | null> {
	const verbs = elementsOf(root);
	for (const [index, verb] of verbs.entries()) {
		if (signal.aborted) throw new Interrupted(signal.reason);
		const deferAnswer = (verb.name === 'Dial' && attrBool(verb.attrs.answerOnBridge, false)) || verb.name === 'Reject';
		if (!deferAnswer) answerLeg(s, leg);
		const step = await runVerb(s, leg, verb, docUrl, signal, index === 0);
		if (step === 'end') return null;
		if (typeof step === 'object') return step.next;
	}
	return null;
}

/** Run one verb; the modules under verbs/ say what each does. */
export async function runVerb(s: EngineState, leg: Leg, verb: XmlElement, docUrl: string, signal: AbortSignal, first: boolean): Promise<Step> {
	switch (verb.name) {
		case 'Say':
			return say(s, leg, verb, signal);
		case 'Play':
			return play(s, leg, verb, signal);
		case 'Pause':
			return pause(s, verb, signal);
		case 'Gather':
			return gather(s, leg, verb, docUrl, signal);
		case 'Dial':
			return dial(s, leg, verb, docUrl, signal);
		case 'Enqueue':
			return enqueue(s, leg, verb, docUrl, signal);
		case 'Record':
			return record(s, leg, verb, docUrl, signal);
		case 'Redirect':
			return redirect(s, leg, verb, docUrl);
		case 'Hangup':
			return hangup();
		case 'Leave':
			return leave();
		case 'Reject':
			return reject(s, leg, verb, first);
		case 'Start':
			return start(s, leg, verb, docUrl);
		default:
			if (UNSUPPORTED_VERBS.has(verb.name)) warn(s, leg, 12200, `<${verb.name}> is not supported by the local carrier and was skipped`, docUrl);
			return 'continue';
	}
}

export function warn(s: EngineState, leg: Leg, code: number, message: string, url: string | null): void {
	s.dispatcher.alert({ level: 'warning', code, message, url, kind: null, callSid: leg.sid, messageSid: null });
}
