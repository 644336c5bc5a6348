/**
 * The rules of the call line, written once for every function that moves a caller along it:
 * where a waiting caller stands, offering a call to one agent or putting it in line, taking a
 * caller for an agent, and ending an offer nobody took (a miss or a decline).
 */
import { v } from 'convex/values';
import type { Doc } from '../_generated/dataModel';
import type { MutationCtx, QueryCtx } from '../_generated/server';
import { incomingBySid, setAgent } from './callRows';
import { countIndexRange, type IndexCondition } from './indexCount';
import { findAgent, pickAgent } from './routing';

/** What the webhook does next: Dial the agent's client, or put the caller in the named queue. */
export const vDecision = v.union(
	v.object({ kind: v.literal('offered'), agentId: v.string(), agentName: v.string(), attempts: v.number() }),
	/** `positionAtLeast`: more than POSITION_CAP callers are ahead, so `position` is a lower bound. */
	v.object({ kind: v.literal('queued'), queueName: v.string(), position: v.number(), positionAtLeast: v.optional(v.literal(true)) }),
	v.object({ kind: v.literal('accepted'), agentId: v.string() }),
	v.object({ kind: v.literal('ended') })
);
export type Decision = typeof vDecision.type;

/**
 * Callers counted ahead of one in line, at most this many: a place is exact up to here, and a
 * lower bound beyond (the count reads one index entry per caller ahead, so a deep queue would
 * make every new caller's webhook pay for the whole line).
 */
export const POSITION_CAP = 100;

/** A caller in line: its incoming row with the line's fields set. */
type InLine = Doc<'incoming_call_queue'> & { queueName: string; priority: number; enqueuedAt: number };

/** The waiting callers of one queue, in line order (`by_line`). */
function line(ctx: QueryCtx | MutationCtx, queueName: string) {
	return ctx.db.query('incoming_call_queue').withIndex('by_line', (q) => q.eq('queueName', queueName).eq('lineState', 'waiting'));
}

/**
 * 1-based place among the callers waiting in the same queue (priority first, then arrival, then
 * creation). Reads only the callers ahead, through `by_line`, and at most POSITION_CAP of them.
 */
async function placeOf(ctx: QueryCtx | MutationCtx, entry: InLine): Promise<{ position: number; atLeast: boolean }> {
	const counted = countAhead(entry);
	if (counted !== undefined) {
		const capped = Math.min(counted, POSITION_CAP);
		return { position: capped + 1, atLeast: capped >= POSITION_CAP };
	}
	let ahead = 0;
	const higher = await ctx.db
		.query('incoming_call_queue')
		.withIndex('by_line', (q) => q.eq('queueName', entry.queueName).eq('lineState', 'waiting').gt('priority', entry.priority))
		.take(POSITION_CAP);
	ahead += higher.length;
	if (ahead < POSITION_CAP) {
		const earlier = await ctx.db
			.query('incoming_call_queue')
			.withIndex('by_line', (q) => q.eq('queueName', entry.queueName).eq('lineState', 'waiting').eq('priority', entry.priority).lt('enqueuedAt', entry.enqueuedAt))
			.take(POSITION_CAP - ahead);
		ahead += earlier.length;
	}
	if (ahead < POSITION_CAP) {
		const sameTime = await ctx.db
			.query('incoming_call_queue')
			.withIndex('by_line', (q) => q.eq('queueName', entry.queueName).eq('lineState', 'waiting').eq('priority', entry.priority).eq('enqueuedAt', entry.enqueuedAt))
			.take(POSITION_CAP);
		ahead += Math.min(POSITION_CAP - ahead, sameTime.filter((w) => w._id !== entry._id && w._creationTime < entry._creationTime).length);
	}
	return { position: ahead + 1, atLeast: ahead >= POSITION_CAP };
}

/**
 * The same count as placeOf's reads, where the engine counts index ranges without reading the
 * documents (the local engine; convex/lib/indexCount.ts): higher priority, then the same
 * priority and earlier arrival, then the same arrival and earlier creation. Undefined elsewhere.
 */
function countAhead(entry: InLine): number | undefined {
	const index = 'incoming_call_queue.by_line';
	const line: IndexCondition[] = [
		{ fieldPath: 'queueName', type: 'Eq', value: entry.queueName },
		{ fieldPath: 'lineState', type: 'Eq', value: 'waiting' }
	];
	const priority: IndexCondition = { fieldPath: 'priority', type: 'Eq', value: entry.priority };
	const higher = countIndexRange(index, [...line, { fieldPath: 'priority', type: 'Gt', value: entry.priority }]);
	const earlier = countIndexRange(index, [...line, priority, { fieldPath: 'enqueuedAt', type: 'Lt', value: entry.enqueuedAt }]);
	const sameTime = countIndexRange(index, [
		...line,
		priority,
		{ fieldPath: 'enqueuedAt', type: 'Eq', value: entry.enqueuedAt },
		{ fieldPath: '_creationTime', type: 'Lt', value: entry._creationTime }
	]);
	if (higher === undefined || earlier === undefined || sameTime === undefined) return undefined;
	return higher + earlier + sameTime;
}

/** The queued decision for a waiting entry: its place, flagged when it is a lower bound. */
async function queuedDecision(ctx: QueryCtx | MutationCtx, entry: InLine): Promise<Decision> {
	const { position, atLeast } = await placeOf(ctx, entry);
	return { kind: 'queued', queueName: entry.queueName, position, ...(atLeast ? { positionAtLeast: true } : {}) };
}

/** The line's fields of a row that has them (a caller who was put in line). */
function inLine(row: Doc<'incoming_call_queue'>): InLine | null {
	if (!row.lineState || row.queueName === undefined || row.enqueuedAt === undefined) return null;
	return { ...row, queueName: row.queueName, priority: row.priority ?? 0, enqueuedAt: row.enqueuedAt };
}

/** Ring `agent` for the call. A caller offered out of the line keeps its place (and leaves the waiting list) while it rings. */
export async function offerTo(ctx: MutationCtx, incoming: Doc<'incoming_call_queue'>, agent: Doc<'agent_status'>, now: number): Promise<Decision> {
	const attempts = incoming.attempts + 1;
	const line = incoming.lineState ? { lineState: 'bridging' as const, assignedTo: agent.userId } : {};
	await ctx.db.patch('incoming_call_queue', incoming._id, { state: 'offered', offeredTo: agent.userId, offeredAt: now, attempts, ...line });
	await setAgent(ctx, agent, { status: 'ringing', since: now, activeCallSid: incoming.callSid });
	return { kind: 'offered', agentId: agent.userId, agentName: agent.name, attempts };
}

/** A caller nobody can take now goes in line, at the back of its queue. */
async function enqueue(ctx: MutationCtx, incoming: Doc<'incoming_call_queue'>, required: string[], now: number): Promise<InLine> {
	const line = { queueName: incoming.queueName ?? 'default', requiredSkill: required[0], requiredSkills: required, priority: 0, lineState: 'waiting' as const, enqueuedAt: now };
	await ctx.db.patch('incoming_call_queue', incoming._id, line);
	return { ...incoming, ...line };
}

/** Offer the call to the next eligible agent, or put it in line; the incoming row must exist. */
export async function offerOrEnqueue(ctx: MutationCtx, incoming: Doc<'incoming_call_queue'>, now: number): Promise<Decision> {
	const required = incoming.requiredSkills ?? (incoming.requiredSkill ? [incoming.requiredSkill] : []);
	const agent = await pickAgent(ctx, required, incoming.declinedBy, now);
	if (agent) return offerTo(ctx, incoming, agent, now);
	const back = incoming.lineState && incoming.lineState !== 'waiting';
	// Back from an offer nobody answered: waiting again, at its original place in line.
	await ctx.db.patch('incoming_call_queue', incoming._id, { state: 'routing', offeredTo: undefined, offeredAt: undefined, ...(back ? { lineState: 'waiting' as const, assignedTo: undefined } : {}) });
	const entry = inLine({ ...incoming, state: 'routing', ...(back ? { lineState: 'waiting' as const, assignedTo: undefined } : {}) });
	return queuedDecision(ctx, entry ?? (await enqueue(ctx, incoming, required, now)));
}

/** The decision already taken for a call (a retried webhook gets the same answer). */
export async function currentDecision(ctx: QueryCtx | MutationCtx, incoming: Doc<'incoming_call_queue'>): Promise<Decision> {
	if (incoming.state === 'accepted' && incoming.offeredTo) return { kind: 'accepted', agentId: incoming.offeredTo };
	if (incoming.state === 'offered' && incoming.offeredTo) {
		const agent = await findAgent(ctx, incoming.offeredTo);
		return { kind: 'offered', agentId: incoming.offeredTo, agentName: agent?.name ?? incoming.offeredTo, attempts: incoming.attempts };
	}
	const entry = inLine(incoming);
	if (entry && entry.lineState === 'waiting') return queuedDecision(ctx, entry);
	return { kind: 'ended' };
}

/**
 * The call's row in active_calls, from the moment an agent takes it. One row per call: a caller a
 * transfer put back in line may still have the row the transfer left (a queue transfer's, named
 * by the transfer until someone takes them); whoever takes them now starts it afresh.
 */
export async function startActiveCall(ctx: MutationCtx, incoming: Doc<'incoming_call_queue'>, agentId: string, now: number) {
	const before = await ctx.db
		.query('active_calls')
		.withIndex('by_callSid', (q) => q.eq('callSid', incoming.callSid))
		.collect();
	for (const row of before) await ctx.db.delete('active_calls', row._id);
	await ctx.db.insert('active_calls', {
		callSid: incoming.callSid,
		direction: 'inbound',
		agentId,
		customerId: incoming.customerId,
		customerName: incoming.customerName,
		customerCompany: incoming.customerCompany,
		queueName: incoming.queueName,
		from: incoming.from,
		to: incoming.to,
		customerNumber: incoming.from,
		state: 'in-progress',
		startedAt: incoming.receivedAt,
		answeredAt: now,
		muted: false,
		recording: true
	});
}

/** A waiting caller goes to `agent` (who may take it): the agent is busy on it and the bridge (`<Dial><Queue>`) follows. */
export async function takeFromQueue(ctx: MutationCtx, incoming: Doc<'incoming_call_queue'>, agent: Doc<'agent_status'>, now: number) {
	await ctx.db.patch('incoming_call_queue', incoming._id, {
		lineState: 'bridging',
		assignedTo: agent.userId,
		state: 'accepted',
		offeredTo: agent.userId,
		offeredAt: incoming.offeredAt ?? now
	});
	await setAgent(ctx, agent, { status: 'busy', since: now, activeCallSid: incoming.callSid });
	await startActiveCall(ctx, incoming, agent.userId, now);
}

/** Whether the caller waits in line now. */
export function isWaiting(incoming: Doc<'incoming_call_queue'>): boolean {
	return incoming.lineState === 'waiting';
}

/** The oldest waiting caller in `queueName` (priority first), or null. */
export async function oldestWaiting(ctx: QueryCtx | MutationCtx, queueName: string): Promise<Doc<'incoming_call_queue'> | null> {
	// Two index reads, whatever the queue's depth: the top priority waiting, then its oldest caller.
	const top = await line(ctx, queueName).order('desc').first();
	if (!top) return null;
	return ctx.db
		.query('incoming_call_queue')
		.withIndex('by_line', (q) => q.eq('queueName', queueName).eq('lineState', 'waiting').eq('priority', top.priority))
		.first();
}

/** How the agent an offer rang for is left when it ended unanswered (a miss or a decline). */
export type AfterOffer = (agent: Doc<'agent_status'>, incoming: Doc<'incoming_call_queue'>, now: number) => Partial<Doc<'agent_status'>>;

/**
 * The offer ended without an answer: the agent it rang for is not offered this call again and,
 * if still ringing on it, is patched by `after`; then the next agent is offered the call at once,
 * or it goes (back) in line. Calls already accepted or ended are left alone.
 */
export async function passOn(ctx: MutationCtx, callSid: string, after: AfterOffer): Promise<Decision> {
	const now = Date.now();
	const incoming = await incomingBySid(ctx, callSid);
	if (!incoming) return { kind: 'ended' };
	if (incoming.state === 'accepted') return currentDecision(ctx, incoming);
	const rangFor = incoming.offeredTo;
	let declinedBy = incoming.declinedBy;
	if (incoming.state === 'offered' && rangFor) {
		declinedBy = declinedBy.includes(rangFor) ? declinedBy : [...declinedBy, rangFor];
		const agent = await findAgent(ctx, rangFor);
		if (agent && agent.status === 'ringing' && agent.activeCallSid === callSid) await setAgent(ctx, agent, after(agent, incoming, now));
	}
	const updated = { ...incoming, declinedBy, offeredTo: undefined };
	await ctx.db.patch('incoming_call_queue', incoming._id, { declinedBy, state: 'missed' });
	return offerOrEnqueue(ctx, updated, now);
}
