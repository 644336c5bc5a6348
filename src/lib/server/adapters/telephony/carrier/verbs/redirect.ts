/**
 * <Redirect>: the call continues with the document at its URL (relative to the current one);
 * without a URL it is skipped with a warning.
 */
import { warn } from '../runtime';
import type { EngineState, Leg, Step } from '../state';
import { textOf, type XmlElement } from '../twiml';
import { method, resolve } from '../util';

export function redirect(s: EngineState, leg: Leg, verb: XmlElement, docUrl: string): Step {
	const target = textOf(verb);
	if (!target) {
		warn(s, leg, 12200, '<Redirect> without a URL was skipped', docUrl);
		return 'continue';
	}
	return { next: { kind: 'redirect', url: resolve(s, target, docUrl), method: method(verb.attrs.method) } };
}
