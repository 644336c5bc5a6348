/**
 * Writing a call's segments (db/schema/call-control.ts), and reading handle and hold time per
 * agent from them. Hold happens inside the conversation, so it counts in handle time: handle
 * time is the call's talk time (answer to end, holds included) plus any wrap-up the report adds.
 */
import { and, eq, gte, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { callSegments, type SegmentKind } from '../db/schema/call-control';
import { calls } from '../db/schema/calls';
import { staffIdOrNull } from '../calls/call-archive';

export interface SegmentInput {
	/** The archive call (calls.id). */
	callId: string;
	kind: SegmentKind;
	agentId: string | null;
	startedAt: Date;
	endedAt?: Date | null;
	detail?: Record<string, unknown>;
}

/** One segment, closed or still going; returns its id. */
export async function recordSegment(tx: Db | Tx, input: SegmentInput): Promise<string> {
	const [row] = await tx
		.insert(callSegments)
		.values({
			callId: input.callId,
			kind: input.kind,
			agentId: input.agentId ? staffIdOrNull(input.agentId) : null,
			startedAt: input.startedAt,
			endedAt: input.endedAt ?? null,
			detail: input.detail ?? {}
		})
		.returning({ id: callSegments.id });
	return row!.id;
}

/** Close the call's open segments of `kind` (for `agentId` when given). */
export async function closeSegments(tx: Db | Tx, input: { callId: string; kind: SegmentKind; agentId?: string; endedAt: Date }): Promise<number> {
	const rows = await tx
		.update(callSegments)
		.set({ endedAt: sql`GREATEST(${callSegments.startedAt}, ${input.endedAt.toISOString()}::timestamptz)` })
		.where(
			and(
				eq(callSegments.callId, input.callId),
				eq(callSegments.kind, input.kind),
				sql`${callSegments.endedAt} IS NULL`,
				input.agentId ? eq(callSegments.agentId, input.agentId) : undefined
			)
		)
		.returning({ id: callSegments.id });
	return rows.length;
}

export interface AgentHandleTime {
	agentId: string;
	calls: number;
	/** Answer to end of the agent's answered calls: holds included. */
	handleSeconds: number;
	holdSeconds: number;
}

/** Handle and hold time per agent for calls received in [from, to). */
export async function handleTimeByAgent(db: Db, from: Date, to: Date): Promise<AgentHandleTime[]> {
	const talk = await db
		.select({ agentId: calls.agentId, calls: sql<number>`count(*)::int`, seconds: sql<number>`coalesce(sum(${calls.talkSeconds}), 0)::int` })
		.from(calls)
		.where(and(isNotNull(calls.agentId), isNotNull(calls.answeredAt), gte(calls.receivedAt, from), lt(calls.receivedAt, to)))
		.groupBy(calls.agentId);
	const holds = await db
		.select({
			agentId: callSegments.agentId,
			seconds: sql<number>`coalesce(sum(extract(epoch from (${callSegments.endedAt} - ${callSegments.startedAt}))), 0)::float`
		})
		.from(callSegments)
		.innerJoin(calls, eq(calls.id, callSegments.callId))
		.where(and(eq(callSegments.kind, 'hold'), isNotNull(callSegments.endedAt), isNotNull(callSegments.agentId), gte(calls.receivedAt, from), lt(calls.receivedAt, to)))
		.groupBy(callSegments.agentId);
	const held = new Map(holds.map((h) => [h.agentId ?? '', Math.round(Number(h.seconds))]));
	return talk.map((t) => {
		const holdSeconds = held.get(t.agentId ?? '') ?? 0;
		// Talk time is answer to end, so it already holds the holds; never report less handle than hold.
		return { agentId: t.agentId ?? '', calls: t.calls, handleSeconds: Math.max(t.seconds, holdSeconds), holdSeconds };
	});
}
