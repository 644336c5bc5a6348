/** <Hangup>: the document, and the call, end here. */
import type { Step } from '../state';

export function hangup(): Step {
	return 'end';
}
