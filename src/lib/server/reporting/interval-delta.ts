/**
 * What one logged event adds to its interval's sums: the single place that says which event
 * counts toward which metric. Used as events are recorded and when the aggregates are rebuilt
 * from the log, so both give the same numbers.
 */
import type { IntervalSums } from '../../reporting/metrics';
import type { CallLogDirection, CallLogType } from '../db/schema/reporting';

export { addSums, CALL_SUM_FIELDS, emptySums, SUM_FIELDS, type IntervalSums } from '../../reporting/metrics';

/** Interval length the aggregates keep; hours, days and weeks in any zone are unions of these. */
export const INTERVAL_MS = 15 * 60 * 1000;

export const bucketOf = (at: Date): Date => new Date(Math.floor(at.getTime() / INTERVAL_MS) * INTERVAL_MS);

export interface LoggedEvent {
	type: CallLogType;
	/** '' for the first of its type on a call; set for repeats (a ring per attempt, an answer after a transfer). */
	key: string;
	agentId: string;
	seconds: number | null;
	/** Inbound unless said: outbound and campaign calls add only to the outbound sums and transfers. */
	direction?: CallLogDirection;
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
	if (event.type === 'transferred') return { agentId: agent, add: { transfers: 1 } };
	if (event.direction && event.direction !== 'inbound') return outboundDelta(event, s);
	switch (event.type) {
		case 'offered':
			return { agentId: '', add: { offered: 1 } };
		case 'offered_closed':
			// The queue was closed: nobody could answer, so neither service level nor abandonment counts it.
			return { agentId: '', add: { offeredClosed: 1 } };
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
			// The caller left a message to be called back: a callback, not an abandon (also when the queue was closed).
			return { agentId: '', add: { callbacks: 1 } };
		case 'resumed':
			// 'ended' carries answer to hang-up, holds included: a hold moves its seconds from talk to hold, so
			// talk + hold + wrap-up counts each second once.
			return { agentId: agent, add: { holdSeconds: s, talkSeconds: -s } };
		case 'ended':
			// Only a call an agent handled ends on an agent's row with its talk time.
			return agent && event.seconds !== null ? { agentId: agent, add: { handled: 1, talkSeconds: s } } : null;
		case 'wrapup_ended':
			return agent ? { agentId: agent, add: { wrapupSeconds: s, wrapups: 1 } } : null;
		default:
			// queued, ringing, held, wrapup_started, callback_requested, callback_completed, closed_hangup,
			// conferenced: in the log for the live board and the call's story; no interval sum needs them.
			return null;
	}
}

/** Outbound and campaign calls: volume, connects and talk, kept apart from the inbound queue metrics. */
function outboundDelta(event: LoggedEvent, s: number): { agentId: string; add: Partial<IntervalSums> } | null {
	switch (event.type) {
		case 'placed':
			return { agentId: event.agentId, add: { placed: 1 } };
		case 'connected':
			return { agentId: event.agentId, add: { connected: 1 } };
		case 'ended':
			return event.agentId && event.seconds !== null ? { agentId: event.agentId, add: { outboundTalkSeconds: s } } : null;
		default:
			return null;
	}
}
