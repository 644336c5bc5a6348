/**
 * <Reject>: as the first verb of an unanswered call, ends it busy (`reason=busy`) or no-answer
 * without answering; either way the document ends.
 */
import { forgetLater } from '../legs';
import type { EngineState, Leg, Step } from '../state';
import type { XmlElement } from '../twiml';

export function reject(s: EngineState, leg: Leg, verb: XmlElement, first: boolean): Step {
	if (first && !leg.answered) {
		leg.finalized = true;
		forgetLater(s, leg);
		const status = verb.attrs.reason === 'busy' ? 'busy' : 'no-answer';
		s.carrier.advanceCallWith(leg.sid, status, {});
		leg.party?.ended(status);
	}
	return 'end';
}
