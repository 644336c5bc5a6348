/**
 * The transfer state machine: one table of phases and events, pure. The tRPC procedures and the
 * webhooks (conference participant join/leave, the target leg's status) feed it events; it answers
 * the next phase and the effects to carry out on the carrier (the call's conference) and in hot
 * state (the transfer_queue row). Nothing here touches the network or a store.
 *
 * One machine runs per transfer (one transfer_queue row). Its rules, from issue #13:
 * - the target declines, does not answer or times out: the customer goes back to the first agent,
 *   or into their queue when that agent has gone;
 * - the first agent hangs up mid-consult: the customer is joined to the target (re-queued when the
 *   target has not answered yet and then does not);
 * - the customer hangs up: everything is torn down;
 * - nothing is left ringing, held or open: every final phase has dropped the target leg if it was
 *   still ringing, released the customer's hold and closed the row.
 */

export type TransferKind = 'cold' | 'warm';
export type TransferTargetKind = 'agent' | 'queue' | 'number';

/**
 * `idle`: no transfer yet (the customer talks with the first agent).
 * `ringing`: warm, the target rings, the customer on hold, the first agent still on the call.
 * `blind_ringing`: the target rings with the customer on hold and the first agent gone (cold, or a
 * warm transfer whose first agent completed early or hung up).
 * `consulting`: warm, the agents talk, the customer on hold.
 * Final: `completed` (customer with the target), `joined` (all three talk), `returned` (customer
 * back with the first agent), `requeued` (customer waits in a queue), `ended` (customer hung up).
 */
export const TRANSFER_PHASES = ['idle', 'ringing', 'blind_ringing', 'consulting', 'completed', 'joined', 'returned', 'requeued', 'ended'] as const;
export type TransferPhase = (typeof TRANSFER_PHASES)[number];
export const FINAL_PHASES: readonly TransferPhase[] = ['completed', 'joined', 'returned', 'requeued', 'ended'];
export function isFinalPhase(phase: TransferPhase): boolean {
	return FINAL_PHASES.includes(phase);
}

export type TransferEvent =
	| { type: 'start'; kind: TransferKind; target: TransferTargetKind }
	| { type: 'target-ringing' }
	| { type: 'target-answered' }
	| { type: 'target-declined' }
	| { type: 'target-timeout' }
	| { type: 'complete' }
	| { type: 'cancel' }
	| { type: 'join-all' }
	| { type: 'first-agent-hangup' }
	| { type: 'target-hangup' }
	| { type: 'customer-hangup' };
export type TransferEventType = TransferEvent['type'];

/** How a transfer ended, as the archive (call_transfers.outcome) keeps it. */
export type TransferOutcome =
	| 'completed'
	| 'joined'
	| 'cancelled'
	| 'declined'
	| 'timeout'
	| 'target-left'
	| 'queued'
	| 'customer-hangup';

/**
 * What the interpreter does, in this order. `requeue-customer` redirects the customer's leg out of
 * the conference into a queue (`target`: the queue the transfer named; `original`: the call's own),
 * which ends the conference since the customer's participant has endConferenceOnExit.
 */
export type TransferEffect =
	| { type: 'hold-customer' }
	| { type: 'unhold-customer' }
	| { type: 'ring-target' }
	| { type: 'drop-target' }
	| { type: 'drop-first-agent' }
	| { type: 'requeue-customer'; queue: 'target' | 'original' }
	| { type: 'end-conference' }
	| { type: 'mark-accepted' }
	| { type: 'close'; outcome: TransferOutcome };

/**
 * Why an event changed nothing. The procedures turn these into errors the agent reads; webhooks
 * (duplicates, late or out-of-order deliveries) just drop them.
 */
export type TransferRefusal =
	| 'TRANSFER_IN_PROGRESS'
	| 'TRANSFER_FINISHED'
	| 'CALL_ENDED'
	| 'TARGET_NOT_CONNECTED'
	| 'FIRST_AGENT_GONE'
	| 'NO_TRANSFER'
	| 'STALE_EVENT';

type Step = { to: TransferPhase; effects: TransferEffect[] } | { refuse: TransferRefusal };
type EventKey = Exclude<TransferEventType, 'start'> | 'start-cold' | 'start-warm' | 'start-queue';

const close = (outcome: TransferOutcome): TransferEffect => ({ type: 'close', outcome });
const go = (to: TransferPhase, ...effects: TransferEffect[]): Step => ({ to, effects });
const no = (refuse: TransferRefusal): Step => ({ refuse });

const HOLD: TransferEffect = { type: 'hold-customer' };
const UNHOLD: TransferEffect = { type: 'unhold-customer' };
const RING: TransferEffect = { type: 'ring-target' };
const DROP_TARGET: TransferEffect = { type: 'drop-target' };
const DROP_FIRST: TransferEffect = { type: 'drop-first-agent' };
const ACCEPTED: TransferEffect = { type: 'mark-accepted' };
const TEARDOWN: TransferEffect = { type: 'end-conference' };
const REQUEUE_TARGET: TransferEffect = { type: 'requeue-customer', queue: 'target' };
const REQUEUE_ORIGINAL: TransferEffect = { type: 'requeue-customer', queue: 'original' };

/** Every final phase answers the same way: the transfer is over (or the whole call is). */
function finalRow(refuse: TransferRefusal): Record<EventKey, Step> {
	const r = no(refuse);
	return {
		'start-cold': r, 'start-warm': r, 'start-queue': r, 'target-ringing': r, 'target-answered': r,
		'target-declined': r, 'target-timeout': r, complete: r, cancel: r, 'join-all': r,
		'first-agent-hangup': r, 'target-hangup': r, 'customer-hangup': r
	};
}

/**
 * THE table. Rows: phases; columns: events. Effects run in the order written: the customer is
 * released from hold before the last other party leaves, so no instant has them held alone.
 */
export const TRANSFER_TABLE: Record<TransferPhase, Record<EventKey, Step>> = {
	idle: {
		'start-cold': go('blind_ringing', HOLD, RING, DROP_FIRST),
		'start-warm': go('ringing', HOLD, RING),
		// A queue is not a person to consult: the customer goes straight into its line.
		'start-queue': go('requeued', REQUEUE_TARGET, DROP_FIRST, close('queued')),
		'target-ringing': no('NO_TRANSFER'),
		'target-answered': no('NO_TRANSFER'),
		'target-declined': no('NO_TRANSFER'),
		'target-timeout': no('NO_TRANSFER'),
		complete: no('NO_TRANSFER'),
		cancel: no('NO_TRANSFER'),
		'join-all': no('NO_TRANSFER'),
		// The agent hung up a plain call: the call is over, there is nothing to transfer any more.
		'first-agent-hangup': go('ended', TEARDOWN),
		'target-hangup': no('NO_TRANSFER'),
		'customer-hangup': go('ended', TEARDOWN)
	},
	ringing: {
		'start-cold': no('TRANSFER_IN_PROGRESS'),
		'start-warm': no('TRANSFER_IN_PROGRESS'),
		'start-queue': no('TRANSFER_IN_PROGRESS'),
		'target-ringing': no('STALE_EVENT'),
		'target-answered': go('consulting', ACCEPTED),
		'target-declined': go('returned', UNHOLD, DROP_TARGET, close('declined')),
		'target-timeout': go('returned', UNHOLD, DROP_TARGET, close('timeout')),
		// Completing before the target answers hands the call over blind: the first agent leaves now.
		complete: go('blind_ringing', DROP_FIRST),
		cancel: go('returned', UNHOLD, DROP_TARGET, close('cancelled')),
		'join-all': no('TARGET_NOT_CONNECTED'),
		'first-agent-hangup': go('blind_ringing'),
		'target-hangup': go('returned', UNHOLD, DROP_TARGET, close('declined')),
		'customer-hangup': go('ended', DROP_TARGET, TEARDOWN, close('customer-hangup'))
	},
	blind_ringing: {
		'start-cold': no('TRANSFER_IN_PROGRESS'),
		'start-warm': no('TRANSFER_IN_PROGRESS'),
		'start-queue': no('TRANSFER_IN_PROGRESS'),
		'target-ringing': no('STALE_EVENT'),
		'target-answered': go('completed', ACCEPTED, UNHOLD, close('completed')),
		// The first agent has gone, so the customer waits in their own queue instead.
		// Into the queue first (out of the conference), then the ringing leg: never held alone.
		'target-declined': go('requeued', REQUEUE_ORIGINAL, DROP_TARGET, close('declined')),
		'target-timeout': go('requeued', REQUEUE_ORIGINAL, DROP_TARGET, close('timeout')),
		complete: no('STALE_EVENT'),
		cancel: no('FIRST_AGENT_GONE'),
		'join-all': no('FIRST_AGENT_GONE'),
		'first-agent-hangup': no('STALE_EVENT'),
		'target-hangup': go('requeued', REQUEUE_ORIGINAL, DROP_TARGET, close('declined')),
		'customer-hangup': go('ended', DROP_TARGET, TEARDOWN, close('customer-hangup'))
	},
	consulting: {
		'start-cold': no('TRANSFER_IN_PROGRESS'),
		'start-warm': no('TRANSFER_IN_PROGRESS'),
		'start-queue': no('TRANSFER_IN_PROGRESS'),
		'target-ringing': no('STALE_EVENT'),
		'target-answered': no('STALE_EVENT'),
		'target-declined': no('STALE_EVENT'),
		'target-timeout': no('STALE_EVENT'),
		complete: go('completed', UNHOLD, DROP_FIRST, close('completed')),
		cancel: go('returned', UNHOLD, DROP_TARGET, close('cancelled')),
		'join-all': go('joined', UNHOLD, close('joined')),
		'first-agent-hangup': go('completed', UNHOLD, close('completed')),
		'target-hangup': go('returned', UNHOLD, close('target-left')),
		'customer-hangup': go('ended', TEARDOWN, close('customer-hangup'))
	},
	completed: finalRow('TRANSFER_FINISHED'),
	joined: finalRow('TRANSFER_FINISHED'),
	returned: finalRow('TRANSFER_FINISHED'),
	requeued: finalRow('TRANSFER_FINISHED'),
	ended: finalRow('CALL_ENDED')
};

function keyOf(event: TransferEvent): EventKey {
	if (event.type !== 'start') return event.type;
	if (event.target === 'queue') return 'start-queue';
	return event.kind === 'cold' ? 'start-cold' : 'start-warm';
}

export type TransferStep =
	| { ok: true; from: TransferPhase; to: TransferPhase; effects: TransferEffect[] }
	| { ok: false; from: TransferPhase; refusal: TransferRefusal };

/** The one transition function: look the pair up in the table. */
export function stepTransfer(phase: TransferPhase, event: TransferEvent): TransferStep {
	const step = TRANSFER_TABLE[phase][keyOf(event)];
	if ('refuse' in step) return { ok: false, from: phase, refusal: step.refuse };
	return { ok: true, from: phase, to: step.to, effects: step.effects };
}

/**
 * The move takes the first agent off the call: it drops them (cold, a queue, complete), or they
 * hung up and the transfer goes on without them. They are in wrap-up from then.
 */
export function firstAgentLeaves(event: TransferEventType, to: TransferPhase, effects: readonly TransferEffect[]): boolean {
	return effects.some((e) => e.type === 'drop-first-agent') || (event === 'first-agent-hangup' && to !== 'ended');
}

/** The agent-facing text for each refusal (procedures raise it; webhooks drop the event). */
export const REFUSAL_MESSAGES: Record<TransferRefusal, string> = {
	TRANSFER_IN_PROGRESS: 'A transfer of this call is already under way; complete or cancel it first.',
	TRANSFER_FINISHED: 'This transfer is already finished.',
	CALL_ENDED: 'The caller has hung up; the transfer was closed.',
	TARGET_NOT_CONNECTED: 'The person you are transferring to has not answered yet.',
	FIRST_AGENT_GONE: 'You have already left this call; the transfer goes on without you.',
	NO_TRANSFER: 'There is no transfer under way on this call.',
	STALE_EVENT: 'This event no longer applies to the transfer.'
};
