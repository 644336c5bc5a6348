/**
 * "Ready now": the agent ends wrap-up before the queue's wrap-up time runs out and is offered
 * calls again; the form can still be saved afterwards. Only the agent who took the call may, after
 * it ended. The archive keeps when they were ready (wrapupSeconds runs to it) with an event; a
 * repeat, or a press after the time already ran out, changes nothing.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import type { Db } from '../db/client';
import { calls } from '../db/schema/calls';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY, type HotState, type Identity } from '../live/hot';
import { logger } from '../log';
import { addCallEvent } from './call-archive';
import { logWrapupEnded } from './log-inbound-events';
import { callOwnerId } from './call-handler';
import { readyAfterHandoff } from './handoff-wrapup';
import { transferPartOf } from '$lib/transfers/handoff';

const log = logger('voice');

export interface EndWrapUpEarlyResult {
	callSid: string;
	/** When the agent was available again (now, or the earlier moment a repeat finds). */
	readyAt: Date;
}

export async function endWrapUpEarly(deps: { db: Db; hot: Pick<HotState, 'mutation'> }, agent: Identity, callSid: string, now = new Date()): Promise<EndWrapUpEarlyResult> {
	const result = await deps.db.transaction(async (tx) => {
		const [call] = await tx.select().from(calls).where(eq(calls.callSid, callSid)).for('update');
		const part = call ? null : transferPartOf(callSid);
		if (part) return { callSid, ...(await readyAfterHandoff(tx, part.transferId, agent.subject, now, part.side)) };
		if (!call) throw new AppError('NOT_FOUND', 'CALL_NOT_FOUND', `No call ${callSid} in the archive.`);
		const owner = await callOwnerId(tx, call);
		if (owner !== agent.subject) throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agent who took this call can end its wrap-up.');
		if (!call.endedAt) throw new AppError('CONFLICT', 'CALL_IN_PROGRESS', 'The call is still going: hang up first.');
		if (call.readyAt) return { callSid, readyAt: call.readyAt, changed: false };
		await tx
			.update(calls)
			.set({ readyAt: now })
			.where(and(eq(calls.id, call.id), isNull(calls.readyAt)));
		await addCallEvent(tx, { callId: call.id, kind: 'wrapup.ready', at: now, payload: { agentId: agent.subject } });
		await logWrapupEnded(tx, { ...call, agentId: owner }, now);
		return { callSid, readyAt: now, changed: true };
	});
	if (result.changed) {
		try {
			await deps.hot.mutation(api.callWrapup.finishWrapup, { callSid, agentId: agent.subject }, SYSTEM_IDENTITY);
		} catch (error) {
			// Hot state already let the call go (its wrap-up time ran out at the same moment, or it was rebuilt without it).
			log.warn('finishWrapup refused on Ready now', { callSid, error: String(error) });
		}
	}
	return { callSid: result.callSid, readyAt: result.readyAt };
}
