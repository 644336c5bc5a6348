/**
 * <Say>: the far end hears the text, `loop` times (at most 10), taking about as long as speaking
 * it.
 */
import { hear } from '../legs';
import type { EngineState, Leg, Step } from '../state';
import { textOf, type XmlElement } from '../twiml';
import { attrNum, speechMs } from '../util';

export async function say(s: EngineState, leg: Leg, verb: XmlElement, signal: AbortSignal): Promise<Step> {
	const text = textOf(verb);
	const loops = Math.min(10, Math.max(1, attrNum(verb.attrs.loop, 1)));
	for (let n = 0; n < loops; n++) {
		hear(leg, text);
		await s.clock.sleep(speechMs(text), signal);
	}
	return 'continue';
}
