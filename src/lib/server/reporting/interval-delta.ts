/**
 * What one logged event adds to its interval's sums: the single place that says which event
 * counts toward which metric. Used as events are recorded and when the aggregates are rebuilt
 * from the log, so both give the same numbers.
 */
import type { IntervalSums } from '../../reporting/metrics';
import type { CallLogType } from '../db/schema/reporting';

export { addSums, emptySums, SUM_FIELDS, type IntervalSums } from '../../reporting/metrics';

/** Interval length the aggregates keep; hours, days and weeks in any zone are unions of these. */
export const INTERVAL_MS = 15 * 60 * 1000;

export const bucketOf = (at: Date): Date => new Date(Math.floor(at.getTime() / INTERVAL_MS) * INTERVAL_MS);

export interface LoggedEvent {
	type: CallLogType;
	/** '' for the first of its type on a call; set for repeats (a ring per attempt, an answer after a transfer). */
	key: string;
	agentId: string;
	seconds: number | null;
}

/** The queue's service-level target T in seconds. */
export interface DeltaSettings {
	slTargetSeconds: number;
}

/**
 * Which agent row an event lands on ('' = the queue's own row) and what it adds. Counts go to
 * the interval the call was offered (or placed) in, whenever the event happens, so a call is
 * counted once even when it is answered after midnight.
 */
export function intervalDelta(event: LoggedEvent, settings: DeltaSettings): { agentId: string; add: Partial<IntervalSums> } | null {
	const s = Math.max(0, event.seconds ?? 0);
	const agent = event.agentId;
	switch (event.type) {
		case 'offered':
			return { agentId: '', add: { offered: 1 } };
		case 'placed':
			return { agentId: agent, add: { placed: 1 } };
		case 'answered':
			// A later answer on the same call (the agent a transfer reached) is not a second answered call.
			if (event.key !== '') return null;
			return { agentId: agent, add: { answered: 1, waitAnsweredSeconds: s, answeredInTarget: s <= settings.slTargetSeconds ? 1 : 0 } };
		case 'abandoned':
			return { agentId: '', add: { abandoned: 1 } };
		case 'short_abandon':
			return { agentId: '', add: { shortAbandons: 1 } };
		case 'voicemail':
			// The caller left a message to be called back: a callback, not an abandon.
			return { agentId: '', add: { callbacks: 1 } };
		case 'transferred':
			return { agentId: agent, add: { transfers: 1 } };
		case 'resumed':
			return { agentId: agent, add: { holdSeconds: s } };
		case 'ended':
			// Only a call an agent handled ends on an agent's row with its talk time.
			return agent && event.seconds !== null ? { agentId: agent, add: { handled: 1, talkSeconds: s } } : null;
		case 'wrapup_ended':
			return agent ? { agentId: agent, add: { wrapupSeconds: s, wrapups: 1 } } : null;
		default:
			// queued, ringing, held, wrapup_started, callback_requested, callback_completed: in the log for
			// the live board and the call's story; no interval sum needs them.
			return null;
	}
}
