/** <Pause>: silence for `length` seconds (1 by default). */
import type { EngineState, Step } from '../state';
import type { XmlElement } from '../twiml';
import { attrNum } from '../util';

export async function pause(s: EngineState, verb: XmlElement, signal: AbortSignal): Promise<Step> {
	await s.clock.sleep(attrNum(verb.attrs.length, 1) * 1000, signal);
	return 'continue';
}
