/**
 * <Play>: the far end hears `[play url]` (or `[digits ...]` for `digits`), `loop` times (at most
 * 10).
 */
import { hear } from '../legs';
import type { EngineState, Leg, Step } from '../state';
import { textOf, type XmlElement } from '../twiml';
import { attrNum } from '../util';

export async function play(s: EngineState, leg: Leg, verb: XmlElement, signal: AbortSignal): Promise<Step> {
	const url = textOf(verb);
	if (verb.attrs.digits) {
		hear(leg, `[digits ${verb.attrs.digits}]`);
		await s.clock.sleep(500, signal);
		return 'continue';
	}
	const loops = Math.min(10, Math.max(1, attrNum(verb.attrs.loop, 1)));
	for (let n = 0; n < loops; n++) {
		hear(leg, `[play ${url}]`);
		await s.clock.sleep(3000, signal);
	}
	return 'continue';
}
