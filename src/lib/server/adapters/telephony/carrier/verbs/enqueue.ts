/**
 * <Enqueue>: puts the caller in a queue (queues.ts runs the wait URL loop) until a <Dial><Queue>
 * takes them, they <Leave>, or hang up; the action gets QueueResult.
 */
import { closeBridge } from '../bridges';
import { Interrupted } from '../clock';
import { queueNamed, timeInQueue, waitLoop } from '../queues';
import { loadTwiml, warn } from '../runtime';
import type { EngineState, Leg, QueueEntry, Source, Step } from '../state';
import { textOf, type XmlElement } from '../twiml';
import { attrNum, FOREVER, HANGUP, linked, method, resolve, wait } from '../util';

export async function enqueue(s: EngineState, leg: Leg, verb: XmlElement, docUrl: string, signal: AbortSignal): Promise<Step> {
	const name = textOf(verb);
	const queue = queueNamed(s, name, attrNum(verb.attrs.maxQueueSize, 100));
	const entry: QueueEntry = { leg, enqueuedAt: s.clock.now().getTime(), bridge: null, dequeue: null };
	let result: string;
	let interrupted: Interrupted | null = null;
	if (queue.entries.length >= queue.maxSize) {
		result = 'queue-full';
		warn(s, leg, 21611, `Queue ${name} is full (${queue.maxSize})`, docUrl);
	} else {
		queue.entries.push(entry);
		for (const wake of [...queue.listeners]) wake();
		const waiting = linked(signal);
		entry.dequeue = () => waiting.abort('dequeued');
		try {
			const left = await waitLoop(s, leg, queue, entry, verb, docUrl, waiting.signal);
			result = left;
		} catch (err) {
			if (!(err instanceof Interrupted)) throw err;
			if (!signal.aborted && waiting.signal.reason === 'dequeued') {
				// Bridged by a <Dial><Queue>: wait here until that bridge ends.
				try {
					await wait(s, FOREVER, signal, (wake) => {
						if (entry.bridge?.closed) wake();
						entry.bridge?.listeners.add(wake);
						return () => entry.bridge?.listeners.delete(wake);
					});
				} catch (inner) {
					if (!(inner instanceof Interrupted)) throw inner;
					interrupted = inner;
					if (entry.bridge) closeBridge(entry.bridge);
				}
				result = 'bridged';
			} else {
				interrupted = err;
				result = err.reason === HANGUP ? 'hangup' : 'redirected';
			}
		} finally {
			waiting.release();
			queue.entries = queue.entries.filter((e) => e !== entry);
			queue.waitTimes.push(timeInQueue(s, entry));
		}
	}
	const params = { QueueResult: result, QueueSid: queue.sid, QueueTime: String(timeInQueue(s, entry)) };
	if (!verb.attrs.action) {
		if (interrupted) throw interrupted;
		return 'continue';
	}
	const next: Source = { kind: 'enqueue-action', url: resolve(s, verb.attrs.action, docUrl), method: method(verb.attrs.method), params };
	if (interrupted) {
		await loadTwiml(s, leg, { ...next, notifyOnly: true }, new AbortController().signal);
		throw interrupted;
	}
	return { next };
}
