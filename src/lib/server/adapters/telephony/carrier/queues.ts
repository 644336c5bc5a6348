/**
 * Queues: the named queues callers wait in, and the wait URL loop that plays to a caller while
 * they wait.
 */
import { Interrupted } from './clock';
import { hangupLeg, hear, legParams } from './legs';
import { twimlFailure, warn } from './runtime';
import type { EngineState, Leg, LocalQueue, QueueEntry } from './state';
import { elementsOf, parseVoiceTwiml, textOf, type XmlElement } from './twiml';
import { attrNum, FOREVER, HANGUP, method, newSid, resolve } from './util';
import { gather } from './verbs/gather';
import { play } from './verbs/play';
import { say } from './verbs/say';

export function queueNamed(s: EngineState, name: string, maxSize = 100): LocalQueue {
	let q = s.queues.get(name);
	if (!q) {
		q = { sid: newSid('QU'), name, entries: [], maxSize, waitTimes: [], listeners: new Set() };
		s.queues.set(name, q);
	}
	return q;
}

export function timeInQueue(s: EngineState, entry: QueueEntry): number {
	return Math.round((s.clock.now().getTime() - entry.enqueuedAt) / 1000);
}

/** Run the wait URL again and again while the caller waits; resolves 'leave' on <Leave>. */
export async function waitLoop(s: EngineState, leg: Leg, queue: LocalQueue, entry: QueueEntry, verb: XmlElement, docUrl: string, signal: AbortSignal): Promise<string> {
	let waitUrl = verb.attrs.waitUrl ? resolve(s, verb.attrs.waitUrl, docUrl) : null;
	let waitMethod = method(verb.attrs.waitUrlMethod);
	for (;;) {
		if (!waitUrl) {
			hear(leg, '[hold music]');
			await s.clock.sleep(FOREVER, signal);
			continue;
		}
		const started = s.clock.now().getTime();
		const avg = queue.waitTimes.length ? Math.round(queue.waitTimes.reduce((a, b) => a + b, 0) / queue.waitTimes.length) : 0;
		const result = await s.dispatcher.request({
			kind: 'queue-wait',
			url: waitUrl,
			method: waitMethod,
			params: legParams(s, leg, {
				QueuePosition: String(queue.entries.indexOf(entry) + 1),
				QueueSid: queue.sid,
				QueueTime: String(timeInQueue(s, entry)),
				AvgQueueTime: String(avg),
				CurrentQueueSize: String(queue.entries.length),
				MaxQueueSize: String(queue.maxSize)
			}),
			callSid: leg.sid
		});
		if (signal.aborted) throw new Interrupted(signal.reason);
		let root: XmlElement | null = null;
		if (result.outcome.ok) {
			try {
				root = parseVoiceTwiml(result.outcome.body);
			} catch (err) {
				twimlFailure(s, leg, err, waitUrl);
			}
		}
		const base = result.documentUrl;
		let redirectedTo: { url: string; method: 'GET' | 'POST' } | null = null;
		for (const v of root ? elementsOf(root) : []) {
			if (v.name === 'Say') await say(s, leg, v, signal);
			else if (v.name === 'Play') await play(s, leg, v, signal);
			else if (v.name === 'Pause') await s.clock.sleep(attrNum(v.attrs.length, 1) * 1000, signal);
			else if (v.name === 'Leave') return 'leave';
			else if (v.name === 'Hangup') {
				hangupLeg(s, leg);
				throw new Interrupted(HANGUP);
			} else if (v.name === 'Redirect') {
				redirectedTo = { url: resolve(s, textOf(v), base), method: method(v.attrs.method) };
				break;
			} else if (v.name === 'Gather') {
				const step = await gather(s, leg, v, base, signal);
				if (typeof step === 'object' && 'kind' in step.next) {
					redirectedTo = { url: step.next.url, method: step.next.method };
					break;
				}
			} else warn(s, leg, 12200, `<${v.name}> is not allowed in a queue's wait TwiML and was skipped`, base);
		}
		if (redirectedTo) {
			waitUrl = redirectedTo.url;
			waitMethod = redirectedTo.method;
		}
		// An empty or failing wait document must not spin: Twilio's loop always takes time.
		if (s.clock.now().getTime() - started < 1000) await s.clock.sleep(result.outcome.ok && root ? 1000 : 5000, signal);
	}
}
