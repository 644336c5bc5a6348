/**
 * Writing a call's segments (db/schema/call-control.ts), and reading handle and hold time per
 * agent from them. Hold happens inside the conversation, so it counts in handle time: an agent's
 * handle time is their talk, hold, consult and conference segments (plus any wrap-up the report adds).
 */
import { and, eq, gte, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { callSegments, SEGMENT_KINDS, type SegmentKind } from '../db/schema/call-control';
import { calls } from '../db/schema/calls';
import { addCallEvent, staffIdOrNull } from '../calls/call-archive';

export interface SegmentInput {
	/** The archive call (calls.id). */
	callId: string;
	kind: SegmentKind;
	agentId: string | null;
	startedAt: Date;
	endedAt?: Date | null;
	detail?: Record<string, unknown>;
}

/**
 * Take the call's row lock first in every transaction that writes its segments (the status
 * callback's does, through ensureCall): two webhooks closing and opening the same segments in
 * different orders then take turns instead of deadlocking.
 */
export async function lockCallStory(tx: Db | Tx, callId: string): Promise<void> {
	await tx.select({ id: calls.id }).from(calls).where(eq(calls.id, callId)).for('update');
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

/** What the caller is doing, one at a time per party: talking, held, waiting on a consult, in a conference. Monitoring is apart. */
export const CONVERSATION_KINDS: readonly SegmentKind[] = ['talk', 'hold', 'consult', 'conference'];

/** Close everything still open on the call (it ended). */
export async function closeAllSegments(tx: Db | Tx, callId: string, endedAt: Date): Promise<void> {
	for (const kind of SEGMENT_KINDS) await closeSegments(tx, { callId, kind, endedAt });
}

/** The agent stops one thing and starts another at the same instant (talk to hold, and back), so their segments never overlap. */
export async function switchSegment(
	tx: Db | Tx,
	input: { callId: string; agentId: string; from: SegmentKind; to: SegmentKind; at: Date; detail?: Record<string, unknown> }
): Promise<void> {
	await closeSegments(tx, { callId: input.callId, kind: input.from, agentId: input.agentId, endedAt: input.at });
	await recordSegment(tx, { callId: input.callId, kind: input.to, agentId: input.agentId, startedAt: input.at, ...(input.detail ? { detail: input.detail } : {}) });
}

export async function hasOpenSegment(tx: Db | Tx, input: { callId: string; kind: SegmentKind; agentId: string }): Promise<boolean> {
	const [row] = await tx
		.select({ id: callSegments.id })
		.from(callSegments)
		.where(and(eq(callSegments.callId, input.callId), eq(callSegments.kind, input.kind), eq(callSegments.agentId, input.agentId), sql`${callSegments.endedAt} IS NULL`))
		.limit(1);
	return Boolean(row);
}

/**
 * An added party left the call (dropped, or hung up): their conference segment closes (an outside
 * number's has no agent: the open ones without an agent); with no other party left besides the
 * customer, the call's agent is back in a two-way talk.
 */
export async function endPartySegment(tx: Db | Tx, input: { callId: string; callAgentId: string; label: string; others: { label: string }[]; at: Date }): Promise<void> {
	const [kind, id] = input.label.split(':');
	if (kind === 'agent' && id) await closeSegments(tx, { callId: input.callId, kind: 'conference', agentId: id, endedAt: input.at });
	else if (kind === 'external') await closeSegments(tx, { callId: input.callId, kind: 'conference', agentId: null, endedAt: input.at });
	else return;
	const company = input.others.some((p) => p.label !== 'customer' && p.label !== `agent:${input.callAgentId}` && !p.label.startsWith('supervisor:'));
	// Back to talk only with the customer still there (the caller hanging up ends the conference: every party leaves).
	const customer = input.others.some((p) => p.label === 'customer');
	if (customer && !company && (await hasOpenSegment(tx, { callId: input.callId, kind: 'conference', agentId: input.callAgentId }))) {
		await switchSegment(tx, { callId: input.callId, agentId: input.callAgentId, from: 'conference', to: 'talk', at: input.at });
	}
}

/** Close the call's open segments of `kind` (for `agentId` when given; null: those without an agent). */
export async function closeSegments(tx: Db | Tx, input: { callId: string; kind: SegmentKind; agentId?: string | null; endedAt: Date }): Promise<number> {
	const rows = await tx
		.update(callSegments)
		.set({ endedAt: sql`GREATEST(${callSegments.startedAt}, ${input.endedAt.toISOString()}::timestamptz)` })
		.where(
			and(
				eq(callSegments.callId, input.callId),
				eq(callSegments.kind, input.kind),
				sql`${callSegments.endedAt} IS NULL`,
				input.agentId ? eq(callSegments.agentId, input.agentId) : input.agentId === null ? isNull(callSegments.agentId) : undefined
			)
		)
		.returning({ id: callSegments.id });
	return rows.length;
}

export interface AgentHandleTime {
	agentId: string;
	calls: number;
	/** The agent's time on their calls: talk, hold, consult and conference (holds included). */
	handleSeconds: number;
	holdSeconds: number;
}

const seconds = sql<number>`coalesce(sum(extract(epoch from (${callSegments.endedAt} - ${callSegments.startedAt}))), 0)::float`;
const hasStory = sql`exists (select 1 from ${callSegments} s where s.call_id = ${calls.id} and s.kind in ('talk', 'consult', 'conference'))`;

/**
 * Handle and hold time per agent for calls received in [from, to). A call with its story in
 * segments (a talk segment from the answer on) counts each agent's own segments, so a transferred
 * call splits between the agents who had it; an older call without one counts its talk time
 * (answer to end) for the agent who answered.
 */
export async function handleTimeByAgent(db: Db, from: Date, to: Date): Promise<AgentHandleTime[]> {
	const inRange = and(gte(calls.receivedAt, from), lt(calls.receivedAt, to));
	const plain = await db
		.select({ agentId: calls.agentId, calls: sql<number>`count(*)::int`, seconds: sql<number>`coalesce(sum(${calls.talkSeconds}), 0)::int` })
		.from(calls)
		.where(and(isNotNull(calls.agentId), isNotNull(calls.answeredAt), inRange, sql`not ${hasStory}`))
		.groupBy(calls.agentId);
	const told = await db
		.select({ agentId: callSegments.agentId, calls: sql<number>`count(distinct ${callSegments.callId})::int`, seconds })
		.from(callSegments)
		.innerJoin(calls, eq(calls.id, callSegments.callId))
		.where(and(inArray(callSegments.kind, ['talk', 'hold', 'consult', 'conference']), isNotNull(callSegments.endedAt), isNotNull(callSegments.agentId), inRange, hasStory))
		.groupBy(callSegments.agentId);
	const holds = await db
		.select({ agentId: callSegments.agentId, seconds })
		.from(callSegments)
		.innerJoin(calls, eq(calls.id, callSegments.callId))
		.where(and(eq(callSegments.kind, 'hold'), isNotNull(callSegments.endedAt), isNotNull(callSegments.agentId), inRange))
		.groupBy(callSegments.agentId);
	const byAgent = new Map<string, AgentHandleTime>();
	const entry = (agentId: string) => byAgent.get(agentId) ?? byAgent.set(agentId, { agentId, calls: 0, handleSeconds: 0, holdSeconds: 0 }).get(agentId)!;
	for (const t of [...plain, ...told]) {
		const e = entry(t.agentId ?? '');
		e.calls += t.calls;
		e.handleSeconds += Math.round(Number(t.seconds));
	}
	for (const h of holds) if (byAgent.has(h.agentId ?? '')) entry(h.agentId ?? '').holdSeconds = Math.round(Number(h.seconds));
	// Talk time is answer to end, so it already holds the holds; never report less handle than hold.
	return [...byAgent.values()].map((e) => ({ ...e, handleSeconds: Math.max(e.handleSeconds, e.holdSeconds) }));
}

/** The call-event kind of a caller a transfer put back in line being taken by an agent (calls/call-handler.ts reads it). */
export const PICKED_UP_AGAIN = 'requeue.picked-up';

/**
 * An agent takes a caller who is talking with nobody (waiting in line again after a transfer put
 * them back): their own talk segment starts now. A call answered before gets a `requeue.picked-up`
 * event, so its end and wrap-up go to this agent (call-handler.ts). Nothing when someone is
 * already on the call with the caller (a transfer's target answering a conference leg).
 * The caller holds the call's row lock.
 */
export async function startTalkIfIdle(tx: Db | Tx, input: { callId: string; agentId: string; at: Date; answeredBefore: boolean }): Promise<boolean> {
	const [open] = await tx
		.select({ id: callSegments.id })
		.from(callSegments)
		.where(and(eq(callSegments.callId, input.callId), inArray(callSegments.kind, [...CONVERSATION_KINDS]), sql`${callSegments.endedAt} IS NULL`))
		.limit(1);
	if (open) return false;
	await recordSegment(tx, { callId: input.callId, kind: 'talk', agentId: input.agentId, startedAt: input.at });
	if (input.answeredBefore) await addCallEvent(tx, { callId: input.callId, kind: PICKED_UP_AGAIN, at: input.at, payload: { agentId: input.agentId } });
	return true;
}
