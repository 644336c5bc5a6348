/**
 * What every wallboard shows per queue, computed once per change for all of them: today so far
 * and the current 15-minute interval from the aggregates, and the callers still waiting from the
 * log (offered, not yet answered, abandoned or sent to voicemail). Agents and live calls come to
 * the page from hot state; their durations tick in the browser.
 */
import { and, eq, gte, inArray, notExists, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../db/client';
import { voiceQueues } from '../db/schema/calls';
import { callLog, reportIntervals } from '../db/schema/reporting';
import { CALL_SUM_FIELDS, emptySums, figuresOf, type IntervalSums } from '../../reporting/metrics';
import type { WallboardSnapshot } from '../../reporting/wallboard-types';

export type { QueueBoard, WallboardSnapshot } from '../../reporting/wallboard-types';
import { bucketStart } from './buckets';
import { bucketOf } from './interval-delta';
import { DEFAULT_QUEUE_TARGETS } from './record-call-event';

/** Types that end a caller's wait. */
const WAIT_ENDS = ['answered', 'abandoned', 'short_abandon', 'voicemail'] as const;
/** A caller offered longer ago than this and never closed in the log is a lost event, not a caller still waiting. */
const WAIT_HORIZON_MS = 24 * 3600 * 1000;

const summed = Object.fromEntries(CALL_SUM_FIELDS.map((f) => [f, sql<number>`coalesce(sum(${reportIntervals[f]}), 0)::float8`.mapWith(Number)])) as Record<(typeof CALL_SUM_FIELDS)[number], SQL<number>>;

async function sumsByQueue(db: Db, from: Date): Promise<Map<string, IntervalSums>> {
	const rows = await db
		.select({ queue: reportIntervals.queue, ...summed })
		.from(reportIntervals)
		.where(and(gte(reportIntervals.bucket, from), eq(reportIntervals.direction, 'inbound')))
		.groupBy(reportIntervals.queue);
	return new Map(rows.map(({ queue, ...sums }) => [queue, { ...emptySums(), ...sums }]));
}

export async function waitingCallers(db: Db, now: Date): Promise<WallboardSnapshot['waitingCalls']> {
	const ended = alias(callLog, 'ended');
	const rows = await db
		.select({ callId: callLog.callId, queue: callLog.queue, since: callLog.at })
		.from(callLog)
		.where(
			and(
				eq(callLog.type, 'offered'),
				gte(callLog.at, new Date(now.getTime() - WAIT_HORIZON_MS)),
				notExists(db.select({ one: sql`1` }).from(ended).where(and(eq(ended.callId, callLog.callId), inArray(ended.type, [...WAIT_ENDS]))))
			)
		)
		.orderBy(callLog.at);
	return rows.map((r) => ({ callId: r.callId, queue: r.queue, since: r.since.toISOString() }));
}

export async function computeWallboard(db: Db, timeZone: string, now = new Date()): Promise<WallboardSnapshot> {
	const dayStart = bucketStart(now, 'day', timeZone);
	const [queues, today, current, waiting] = await Promise.all([
		db.select().from(voiceQueues).orderBy(voiceQueues.name),
		sumsByQueue(db, dayStart),
		sumsByQueue(db, bucketOf(now)),
		waitingCallers(db, now)
	]);
	const names = [...new Set([...queues.map((q) => q.name), ...today.keys()].filter(Boolean))].sort();
	const targetsOf = new Map(queues.map((q) => [q.name, { slTargetSeconds: q.slTargetSeconds, slTargetPercent: q.slTargetPercent, shortAbandonSeconds: q.shortAbandonSeconds, waitAlertSeconds: q.waitAlertSeconds }]));
	return {
		computedAt: now.toISOString(),
		timeZone,
		dayStart: dayStart.toISOString(),
		queues: names.map((queue) => {
			const mine = waiting.filter((w) => w.queue === queue);
			const targets = targetsOf.get(queue) ?? DEFAULT_QUEUE_TARGETS;
			// Callers still within T are not yet in service level or abandonment (metrics.ts eligible).
			const withinT = mine.filter((w) => now.getTime() - Date.parse(w.since) <= targets.slTargetSeconds * 1000);
			const intervalStart = bucketOf(now).getTime();
			return {
				queue,
				targets,
				today: figuresOf(today.get(queue) ?? emptySums(), withinT.filter((w) => Date.parse(w.since) >= dayStart.getTime()).length),
				now: figuresOf(current.get(queue) ?? emptySums(), withinT.filter((w) => Date.parse(w.since) >= intervalStart).length),
				waiting: mine.length,
				longestWaitSince: mine[0]?.since ?? null
			};
		}),
		waitingCalls: waiting
	};
}
