/**
 * Start-up: the calls hot state shows (incoming_call_queue, whose rows also keep a waiting
 * caller's place in line, and active_calls) are rebuilt from the archive, so a restart neither
 * leaves ghosts nor loses a queued caller. Every call the archive still thinks is going is first
 * checked with the carrier: one that ended while this
 * server was down is closed in the archive as its status callback would have closed it (outcome,
 * durations, timeline activity); one the carrier says is live is put back where the archive says
 * it was (waiting in its queue at its original place, ringing an agent, or answered). Answered
 * calls whose agent has not saved the wrap-up yet come back in wrap-up, so the form still saves.
 * A carrier that cannot be reached leaves the call as the archive has it, never dropped.
 */
import { and, desc, eq, gt, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { FunctionArgs } from 'convex/server';
import { api } from '$convex/_generated/api';
import { AdapterError } from '../adapters/errors';
import type { CallRecord, CallStatus } from '../adapters/telephony/port';
import { displayName } from '../crm/customer-view';
import type { Db } from '../db/client';
import { customers } from '../db/schema/crm';
import { callEvents, calls, voiceQueues } from '../db/schema/calls';
import { SYSTEM_IDENTITY } from '../live/hot';
import { logger } from '../log';
import { applyCallStatus, DEFAULT_WRAPUP_SECONDS } from './apply-call-status';
import { WRAPUP_GRACE_SECONDS } from './record-call-activity';
import type { VoiceServices } from './voice-services';

const log = logger('voice');

/** Calls older than this that never ended are not looked up; they are closed as the archive last saw them. */
export const OPEN_CALL_LOOKBACK_HOURS = 24;
/** Carrier look-ups in flight at once (Twilio allows a few concurrent REST requests per account). */
const LOOKUP_CONCURRENCY = 4;
const FINAL = new Set<CallStatus>(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

type CallRow = typeof calls.$inferSelect;
type Carrier = { kind: 'live'; record: CallRecord } | { kind: 'ended'; status: CallStatus; at: Date | null; durationSeconds: number | null } | { kind: 'unknown' };

export interface RebuildLiveCallsResult {
	checked: number;
	/** Closed in the archive because the carrier said they had ended (or no longer knew them). */
	closed: number;
	waiting: number;
	ringing: number;
	active: number;
	wrapup: number;
	/** Hot rows dropped because their call is over. */
	removed: number;
}

async function lookUp(services: VoiceServices, call: CallRow): Promise<Carrier> {
	try {
		const record = await services.adapters.telephony.fetchCall(call.callSid);
		if (FINAL.has(record.status)) return { kind: 'ended', status: record.status, at: record.endTime, durationSeconds: record.durationSeconds };
		return { kind: 'live', record };
	} catch (error) {
		// The carrier has no such call (the local carrier forgets every call when this process stops).
		if (error instanceof AdapterError && error.notFound) return { kind: 'ended', status: 'completed', at: null, durationSeconds: null };
		log.warn('could not check a call with the carrier at start; keeping it as the archive has it', { callSid: call.callSid, error: String(error) });
		return { kind: 'unknown' };
	}
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
	const out = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			out[i] = await fn(items[i] as T);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return out;
}

/** The last time anything happened on the call, for closing one the carrier no longer knows. */
async function lastEventAt(db: Db, callId: string, fallback: Date): Promise<Date> {
	const [last] = await db.select({ at: callEvents.at }).from(callEvents).where(eq(callEvents.callId, callId)).orderBy(desc(callEvents.at)).limit(1);
	return last?.at ?? fallback;
}

/** Close the call as the carrier's final status callback would have, marked as found at start. */
async function closeCall(services: VoiceServices, call: CallRow, ended: Extract<Carrier, { kind: 'ended' }>, now: Date): Promise<void> {
	const at = ended.at ?? (await lastEventAt(services.db, call.id, call.receivedAt));
	await applyCallStatus(services, {
		status: {
			CallSid: call.callSid,
			From: call.fromRaw,
			To: call.toRaw,
			CallStatus: ended.status,
			Direction: call.direction,
			Timestamp: at.toUTCString(),
			...(ended.durationSeconds !== null ? { CallDuration: ended.durationSeconds } : {})
		},
		dedupeKey: `voice.reconcile:${call.callSid}`,
		now,
		source: 'start-up reconciliation'
	});
}

interface Routing {
	offeredTo: string | null;
	offeredAt: number | null;
	declinedBy: string[];
	attempts: number;
}

/** Who the call was offered to, from its events: the last offer still stands unless a miss or a decline followed it. */
function routingOf(events: { kind: string; at: Date; payload: Record<string, unknown> }[]): Routing {
	const offers = events.filter((e) => e.kind === 'offered' && typeof e.payload.agentId === 'string');
	const last = offers.at(-1);
	const missedAfter = last ? events.some((e) => (e.kind === 'missed' || e.kind === 'declined') && e.at >= last.at) : true;
	const agents = offers.map((e) => e.payload.agentId as string);
	const current = last && !missedAfter ? (last.payload.agentId as string) : null;
	return {
		offeredTo: current,
		offeredAt: current && last ? last.at.getTime() : null,
		declinedBy: [...new Set(agents.filter((a) => a !== current))],
		attempts: offers.length
	};
}

type Hydrate = FunctionArgs<typeof api.callHydration.hydrateCalls>;
type Counts = { waiting: number; ringing: number; active: number; wrapup: number };
/** What hydration needs beside the calls: their customers, their queues' settings, the live calls' events. */
interface HydrateContext {
	byCustomer: Map<string, { name: string; company: string | null }>;
	skillsOf: Map<string, string[]>;
	wrapupOf: Map<string, number>;
	events: { callId: string; kind: string; at: Date; payload: Record<string, unknown> }[];
}

/** Check every recent open inbound call with the carrier: close those that ended, keep the rest. */
async function reconcileOpenCalls(services: VoiceServices, now: Date): Promise<{ open: CallRow[]; closed: number; live: CallRow[] }> {
	const since = new Date(now.getTime() - OPEN_CALL_LOOKBACK_HOURS * 3600_000);
	const open = await services.db
		.select()
		.from(calls)
		.where(and(eq(calls.direction, 'inbound'), isNull(calls.endedAt), isNull(calls.outcome), gt(calls.receivedAt, since)));

	const carrier = await mapLimit(open, LOOKUP_CONCURRENCY, (call) => lookUp(services, call));
	let closed = 0;
	const live: CallRow[] = [];
	for (const [i, call] of open.entries()) {
		const found = carrier[i] ?? { kind: 'unknown' as const };
		if (found.kind === 'ended') {
			await closeCall(services, call, found, now);
			closed += 1;
		} else {
			live.push(call);
		}
	}
	return { open, closed, live };
}

/** Answered calls that ended recently and whose agent has not saved the wrap-up yet. */
function unsavedWrapUps(db: Db, now: Date): Promise<CallRow[]> {
	return db
		.select()
		.from(calls)
		.where(
			and(
				isNotNull(calls.answeredAt),
				isNotNull(calls.endedAt),
				isNotNull(calls.agentId),
				isNull(calls.wrappedUpAt),
				// Ready now, or the wrap-up time ran out: the agent is back at work, only the form is left.
				isNull(calls.readyAt),
				isNull(calls.activityId),
				gt(calls.endedAt, new Date(now.getTime() - WRAPUP_GRACE_SECONDS * 1000))
			)
		);
}

async function loadContext(db: Db, live: CallRow[], wrapping: CallRow[]): Promise<HydrateContext> {
	const all = [...live, ...wrapping];
	const customerIds = [...new Set(all.flatMap((c) => (c.customerId ? [c.customerId] : [])))];
	const people = customerIds.length ? await db.select().from(customers).where(inArray(customers.id, customerIds)) : [];
	const byCustomer = new Map(people.map((p) => [p.id, { name: displayName(p), company: p.company }]));
	const queueRows = await db.select().from(voiceQueues);
	const skillsOf = new Map(queueRows.map((q) => [q.name, q.requiredSkills]));
	const wrapupOf = new Map(queueRows.map((q) => [q.name, q.wrapupSeconds]));
	const events = live.length
		? await db
				.select({ callId: callEvents.callId, kind: callEvents.kind, at: callEvents.at, payload: callEvents.payload })
				.from(callEvents)
				.where(inArray(callEvents.callId, live.map((c) => c.id)))
				.orderBy(callEvents.at, callEvents.createdAt)
		: [];
	return { byCustomer, skillsOf, wrapupOf, events };
}

/** The caller's side of a call as every hot table shows it. */
function callerFields(call: CallRow, ctx: HydrateContext) {
	const person = call.customerId ? ctx.byCustomer.get(call.customerId) : undefined;
	return {
		callSid: call.callSid,
		from: call.fromE164 ?? call.fromRaw,
		to: call.toE164 ?? call.toRaw,
		customerId: call.customerId ?? undefined,
		customerName: person?.name,
		customerCompany: person?.company || undefined
	};
}

/** A live call back where the archive says it was: answered, ringing an agent, or waiting in its queue. */
function hydrateLiveCall(call: CallRow, ctx: HydrateContext, out: Omit<Hydrate, 'before'>, counts: Counts): void {
	const common = callerFields(call, ctx);
	const queueName = call.queue ?? 'default';
	const requiredSkills = ctx.skillsOf.get(queueName) ?? [];
	const routing = routingOf(ctx.events.filter((e) => e.callId === call.id));
	const receivedAt = call.receivedAt.getTime();
	if (call.answeredAt && call.agentId) {
		out.incoming.push({ ...common, queueName, requiredSkills, state: 'accepted', receivedAt, offeredTo: call.agentId, offeredAt: routing.offeredAt ?? call.answeredAt.getTime(), declinedBy: routing.declinedBy, attempts: routing.attempts });
		out.active.push({ ...common, agentId: call.agentId, queueName, state: 'in-progress', startedAt: receivedAt, answeredAt: call.answeredAt.getTime() });
		counts.active += 1;
		return;
	}
	const offered = routing.offeredTo && routing.offeredAt ? { offeredTo: routing.offeredTo, offeredAt: routing.offeredAt } : {};
	out.incoming.push({ ...common, queueName, requiredSkills, state: routing.offeredTo ? 'offered' : 'routing', receivedAt, ...offered, declinedBy: routing.declinedBy, attempts: routing.attempts });
	if (routing.offeredTo) counts.ringing += 1;
	if (call.queuedAt) {
		out.queued.push({ ...common, queueName, requiredSkills, enqueuedAt: call.queuedAt.getTime(), state: routing.offeredTo ? 'bridging' : 'waiting', assignedTo: routing.offeredTo ?? undefined });
		if (!routing.offeredTo) counts.waiting += 1;
	}
}

/** An ended call whose wrap-up form is still open, back in wrap-up so the form still saves. */
function wrapUpRow(call: CallRow, ctx: HydrateContext): Hydrate['active'][number] {
	return {
		...callerFields(call, ctx),
		agentId: call.agentId ?? '',
		queueName: call.queue ?? undefined,
		state: 'wrapup',
		startedAt: call.receivedAt.getTime(),
		answeredAt: call.answeredAt?.getTime(),
		endedAt: call.endedAt?.getTime(),
		wrapupEndsAt: call.endedAt ? call.endedAt.getTime() + (ctx.wrapupOf.get(call.queue ?? '') ?? DEFAULT_WRAPUP_SECONDS) * 1000 : undefined
	};
}

export async function rebuildLiveCalls(services: VoiceServices, now = new Date()): Promise<RebuildLiveCallsResult> {
	const before = Date.now();
	const { open, closed, live } = await reconcileOpenCalls(services, now);
	const wrapping = await unsavedWrapUps(services.db, now);
	const ctx = await loadContext(services.db, live, wrapping);

	const out: Omit<Hydrate, 'before'> = { incoming: [], queued: [], active: [] };
	const counts: Counts = { waiting: 0, ringing: 0, active: 0, wrapup: 0 };
	for (const call of live) {
		if (call.voicemailAt) continue; // Leaving a message: nothing for agents to see.
		hydrateLiveCall(call, ctx, out, counts);
	}
	for (const call of wrapping) {
		out.active.push(wrapUpRow(call, ctx));
		counts.wrapup += 1;
	}

	const { removed } = await services.hot.mutation(api.callHydration.hydrateCalls, { ...out, before }, SYSTEM_IDENTITY);
	return { checked: open.length, closed, removed, ...counts };
}
