/**
 * <Leave>: outside a queue's wait document (queues.ts handles it there) it does nothing and the
 * document goes on.
 */
import type { Step } from '../state';

export function leave(): Step {
	return 'continue';
}
