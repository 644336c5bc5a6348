/**
 * The entry call control (#13: hold, resume, transfer, conference) uses to put its facts in the
 * call event log, by CallSid (the customer's leg or the agent's). Handle time and transfers are
 * then counted by the one module that counts everything (interval-delta.ts):
 *   held        logged only (the wallboard and the call's story);
 *   resumed     its seconds move from talk to hold, so handle time = talk + hold + wrap-up counts
 *               each second once ('ended' carries answer to hang-up, holds included);
 *   transferred one transfer per `ref`: a replayed report or a second webhook for it adds nothing;
 *   conference  logged only (a warm transfer counts when it is completed, as 'transferred').
 * A call that ends while held must still be resumed here (at its end), or its hold stays talk.
 */
import { and, desc, eq, or } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { calls } from '../db/schema/calls';
import { callLog, type CallLogType } from '../db/schema/reporting';
import { recordCallEvent } from './record-call-event';

export type CallControlKind = 'held' | 'resumed' | 'transferred' | 'conference';

export interface CallControlEvent {
	/** The customer's leg (calls.call_sid) or the agent's (calls.agent_call_sid). */
	callSid: string;
	kind: CallControlKind;
	/** The agent who held, resumed, transferred or conferenced. */
	agentId: string;
	at: Date;
	/**
	 * Tells repeats apart and makes each one count once: the hold's id (the same on its held and
	 * resumed), the transfer's id, the conference's name. Defaults to the time in ms, so pass it
	 * whenever a replay is possible.
	 */
	ref?: string;
	/** resumed: seconds on hold; defaults to the time since the held event with the same ref. */
	seconds?: number;
	/** transferred/conference: who it went to (an agent id, a queue or a number), for the call's story. */
	target?: string;
}

const TYPE: Record<CallControlKind, CallLogType> = { held: 'held', resumed: 'resumed', transferred: 'transferred', conference: 'conferenced' };

export class UnknownCallError extends Error {
	constructor(readonly callSid: string) {
		super(`No call with CallSid ${callSid} in the archive`);
	}
}

/** Returns true when the event was new (false for a replay); throws UnknownCallError for a CallSid the archive does not know. */
export async function logCallControlEvent(db: Db | Tx, event: CallControlEvent): Promise<boolean> {
	const [call] = await db
		.select({ id: calls.id })
		.from(calls)
		.where(or(eq(calls.callSid, event.callSid), eq(calls.agentCallSid, event.callSid)))
		.limit(1);
	if (!call) throw new UnknownCallError(event.callSid);
	const key = event.ref ?? String(event.at.getTime());
	let seconds = event.seconds ?? null;
	if (event.kind === 'resumed' && seconds === null) {
		const [held] = await db
			.select({ at: callLog.at })
			.from(callLog)
			.where(and(eq(callLog.callId, call.id), eq(callLog.type, 'held'), eq(callLog.key, key)))
			.orderBy(desc(callLog.at))
			.limit(1);
		seconds = held ? Math.max(0, Math.round((event.at.getTime() - held.at.getTime()) / 1000)) : 0;
	}
	const payload = event.target ? { target: event.target } : {};
	return recordCallEvent(db, { callId: call.id, type: TYPE[event.kind], at: event.at, agentId: event.agentId, seconds, key, payload });
}
