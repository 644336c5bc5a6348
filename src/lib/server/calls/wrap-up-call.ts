/**
 * The agent's wrap-up form: disposition, notes and the wrap-up seconds (from the caller hanging up
 * to the agent being available again: this save, or an earlier Ready now or end of the queue's
 * wrap-up time) go into the archive with the call's one timeline activity, in one transaction;
 * then hot state frees the agent (finishWrapup). Only the agent who took the call may, once.
 */
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import type { Db } from '../db/client';
import { calls } from '../db/schema/calls';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY, type HotState, type Identity } from '../live/hot';
import { logger } from '../log';
import { logWrapupEnded } from './log-inbound-events';
import { recordCallActivity } from './record-call-activity';
import { callOwnerId } from './call-handler';
import { wrapUpHandoff } from './handoff-wrapup';
import { transferPartOf } from '$lib/transfers/handoff';

const log = logger('voice');

export interface WrapUpInput {
	callSid: string;
	disposition: string;
	notes: string;
}

export interface WrapUpResult {
	callId: string;
	wrapupSeconds: number;
	activityId: string | null;
}

export async function wrapUpCall(
	deps: { db: Db; hot: Pick<HotState, 'mutation'> },
	agent: Identity,
	input: WrapUpInput,
	now = new Date()
): Promise<WrapUpResult> {
	const result = await deps.db.transaction(async (tx) => {
		const [call] = await tx.select().from(calls).where(eq(calls.callSid, input.callSid)).for('update');
		// A transfer's part: the first agent's after the hand-off, a three-way call's target's (calls/handoff-wrapup.ts).
		const part = call ? null : transferPartOf(input.callSid);
		if (part) return { ...(await wrapUpHandoff(tx, part.transferId, agent.subject, input, now, part.side)), activityId: null };
		if (!call) throw new AppError('NOT_FOUND', 'CALL_NOT_FOUND', `No call ${input.callSid} in the archive.`);
		// A call handed on by a transfer is wrapped up by the agent who had the caller at the end.
		const owner = await callOwnerId(tx, call);
		if (owner !== agent.subject) throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agent who took this call can wrap it up.');
		if (!call.endedAt) throw new AppError('CONFLICT', 'CALL_IN_PROGRESS', 'Hang up before saving the wrap-up.');
		if (call.wrappedUpAt) throw new AppError('CONFLICT', 'ALREADY_WRAPPED_UP', 'This call is already wrapped up.');
		const readyAt = call.readyAt ?? now;
		const wrapupSeconds = Math.max(0, Math.round((readyAt.getTime() - call.endedAt.getTime()) / 1000));
		await tx
			.update(calls)
			.set({
				disposition: input.disposition,
				notes: input.notes,
				wrapupSeconds,
				wrappedUpAt: now,
				readyAt
			})
			.where(eq(calls.id, call.id));
		if (!call.readyAt) await logWrapupEnded(tx, { ...call, agentId: owner }, readyAt);
		const activityId = await recordCallActivity(tx, call.id);
		return { callId: call.id, wrapupSeconds, activityId, wasReady: call.readyAt !== null };
	});
	// Already ready (Ready now, or the wrap-up time ran out): hot state let the call go then.
	if (!result.wasReady) {
		try {
			await deps.hot.mutation(api.callWrapup.finishWrapup, { callSid: input.callSid, agentId: agent.subject }, SYSTEM_IDENTITY);
		} catch (error) {
			// The archive holds the wrap-up; hot state may already have let the call go (rebuilt, or never accepted there).
			log.warn('finishWrapup refused after the archive wrap-up', {
				callSid: input.callSid,
				error: String(error)
			});
		}
	}
	return { callId: result.callId, wrapupSeconds: result.wrapupSeconds, activityId: result.activityId };
}
