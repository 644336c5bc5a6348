/**
 * Status callbacks arrive late, twice, or out of order. Each one is folded into the call row by
 * this pure function, whose result depends on the set of events seen, never on their order:
 * the status only moves up in rank, timestamps keep the earliest value, and the outcome and
 * durations are derived from the facts, not from the last event.
 */
import type { CallOutcome } from '../db/schema/calls';
import type { TCallStatus } from '../webhooks/voice-params';

export const STATUS_RANK: Record<TCallStatus, number> = {
	queued: 0,
	initiated: 0,
	ringing: 1,
	'in-progress': 2,
	completed: 3,
	busy: 3,
	failed: 3,
	'no-answer': 3,
	canceled: 3
};

export const FINAL_RANK = 3;

/** The call-row fields status handling reads and writes. */
export interface CallFacts {
	status: string;
	statusRank: number;
	receivedAt: Date;
	ringingAt: Date | null;
	answeredAt: Date | null;
	endedAt: Date | null;
	voicemailAt: Date | null;
	rejectedAt: Date | null;
	agentId: string | null;
	agentCallSid: string | null;
	talkSeconds: number | null;
	waitSeconds: number | null;
	outcome: CallOutcome | null;
}

export interface StatusEvent {
	/** The customer's leg, or the agent leg our `<Dial><Client>` created. */
	leg: 'customer' | 'agent';
	status: TCallStatus;
	at: Date;
	/** The leg's own CallSid. */
	callSid: string;
	/** CallDuration, on completed. */
	durationSeconds?: number;
	/** The agent, read from the agent leg's `client:agent_<id>`. */
	agentId?: string | null;
}

const earliest = (a: Date | null, b: Date | null): Date | null => (!a ? b : !b ? a : a <= b ? a : b);
const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/** The one outcome the facts support; null while the call is still going. */
export function outcomeOf(f: Pick<CallFacts, 'rejectedAt' | 'answeredAt' | 'voicemailAt' | 'endedAt'>): CallOutcome | null {
	if (f.rejectedAt) return 'rejected';
	if (!f.endedAt) return null;
	if (f.answeredAt) return 'answered';
	if (f.voicemailAt) return 'voicemail';
	return 'abandoned';
}

/** Wait: from arrival to an agent answering, or to hanging up unanswered. */
function waitOf(f: CallFacts): number | null {
	const until = f.answeredAt ?? f.endedAt;
	return until ? seconds(f.receivedAt, until) : null;
}

export function foldCallStatus(facts: CallFacts, event: StatusEvent): CallFacts {
	const next = { ...facts };
	if (event.leg === 'customer') {
		const rank = STATUS_RANK[event.status];
		if (rank > next.statusRank) {
			next.status = event.status;
			next.statusRank = rank;
		}
		next.receivedAt = earliest(next.receivedAt, event.at) ?? next.receivedAt;
		if (event.status === 'ringing') next.ringingAt = earliest(next.ringingAt, event.at);
		if (rank === FINAL_RANK) next.endedAt = earliest(next.endedAt, event.at);
	} else {
		if (event.agentId && (!next.agentId || event.status === 'in-progress' || event.status === 'completed')) next.agentId = event.agentId;
		if (event.status === 'in-progress') {
			next.answeredAt = earliest(next.answeredAt, event.at);
			next.agentCallSid = event.callSid;
		}
		if (event.status === 'completed' && (event.durationSeconds ?? 0) > 0) {
			const duration = event.durationSeconds ?? 0;
			// An agent leg that talked was answered; the completed event alone proves when.
			next.answeredAt = earliest(next.answeredAt, new Date(event.at.getTime() - duration * 1000));
			next.agentCallSid = event.callSid;
			next.talkSeconds = duration;
		}
	}
	// A caller bridged by an agent's <Dial><Queue> has no agent-leg callbacks: talk is answer to hang-up.
	if (next.talkSeconds === null && next.answeredAt && next.endedAt) next.talkSeconds = seconds(next.answeredAt, next.endedAt);
	next.waitSeconds = waitOf(next);
	next.outcome = outcomeOf(next);
	return next;
}
