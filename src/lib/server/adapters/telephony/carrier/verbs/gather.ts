/**
 * <Gather>: nested Say/Play/Pause prompts until the first key, then digits until numDigits,
 * finishOnKey or timeout; the action gets Digits.
 */
import { Interrupted } from '../clock';
import type { EngineState, Leg, Step } from '../state';
import { elementsOf, type XmlElement } from '../twiml';
import { attrBool, attrNum, linked, method, resolve, wait } from '../util';
import { play } from './play';
import { say } from './say';

export function digitWaiter(leg: Leg) {
	return (wake: () => void) => {
		if (leg.digits) wake();
		leg.digitListeners.add(wake);
		return () => leg.digitListeners.delete(wake);
	};
}

export async function gather(s: EngineState, leg: Leg, verb: XmlElement, docUrl: string, signal: AbortSignal): Promise<Step> {
	const timeoutMs = attrNum(verb.attrs.timeout, 5) * 1000;
	const numDigits = attrNum(verb.attrs.numDigits, Infinity);
	const finishOnKey = verb.attrs.finishOnKey ?? '#';
	leg.digits = '';
	// Prompts stop at the first key press.
	const prompts = linked(signal);
	const stopOnDigit = () => prompts.abort('digit');
	leg.digitListeners.add(stopOnDigit);
	try {
		for (const child of elementsOf(verb)) {
			if (leg.digits) break;
			if (child.name === 'Say') await say(s, leg, child, prompts.signal);
			else if (child.name === 'Play') await play(s, leg, child, prompts.signal);
			else if (child.name === 'Pause') await s.clock.sleep(attrNum(child.attrs.length, 1) * 1000, prompts.signal);
		}
	} catch (err) {
		if (signal.aborted || !(err instanceof Interrupted)) throw err;
	} finally {
		leg.digitListeners.delete(stopOnDigit);
		prompts.release();
	}
	let collected = '';
	let finishedOnKey = '';
	for (;;) {
		while (leg.digits) {
			const key = leg.digits[0]!;
			leg.digits = leg.digits.slice(1);
			if (finishOnKey && key === finishOnKey) {
				finishedOnKey = key;
				break;
			}
			collected += key;
			if (collected.length >= numDigits) break;
		}
		if (finishedOnKey || collected.length >= numDigits) break;
		const woke = await wait(s, timeoutMs, signal, digitWaiter(leg));
		if (!woke) break;
	}
	if (!collected && !(finishedOnKey && attrBool(verb.attrs.actionOnEmptyResult, false))) return 'continue';
	return {
		next: {
			kind: 'gather-action',
			url: resolve(s, verb.attrs.action ?? docUrl, docUrl),
			method: method(verb.attrs.method),
			params: { Digits: collected, ...(finishedOnKey ? { FinishedOnKey: finishedOnKey } : {}) }
		}
	};
}
