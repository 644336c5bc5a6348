/**
 * The aggregates as the log implies them: every logged event through intervalDelta into its
 * call's interval. rebuildIntervals writes this over report_intervals; the tests compare it with
 * what recordCallEvent kept incrementally.
 */
import { and, gte, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { callLog, reportIntervals, type CallLogDirection, type CallLogType } from '../db/schema/reporting';
import { voiceQueues } from '../db/schema/calls';
import { addSums, emptySums, type IntervalSums, type QueueTargets } from '../../reporting/metrics';
import { bucketOf, INTERVAL_MS, intervalDelta } from './interval-delta';
import { DEFAULT_QUEUE_TARGETS } from './record-call-event';

export interface LogRow {
	type: CallLogType;
	key: string;
	agentId: string;
	seconds: number | null;
	queue: string;
	direction: CallLogDirection;
	callStartedAt: Date;
}

export interface IntervalRow extends IntervalSums {
	bucket: Date;
	queue: string;
	agentId: string;
	direction: CallLogDirection;
}

export function foldLog(rows: Iterable<LogRow>, targetsOf: (queue: string) => QueueTargets): IntervalRow[] {
	const out = new Map<string, IntervalRow>();
	for (const row of rows) {
		const delta = intervalDelta(row, targetsOf(row.queue));
		if (!delta) continue;
		const bucket = bucketOf(row.callStartedAt);
		const id = `${bucket.getTime()}|${row.queue}|${delta.agentId}|${row.direction}`;
		let into = out.get(id);
		if (!into) {
			into = { bucket, queue: row.queue, agentId: delta.agentId, direction: row.direction, ...emptySums() };
			out.set(id, into);
		}
		addSums(into, delta.add);
	}
	return [...out.values()];
}

/**
 * Rewrite the aggregates of calls started in [from, to) from the log, with each queue's current
 * target T (a changed T applies to the rebuilt past). One transaction: readers see old or new.
 */
export async function rebuildIntervals(db: Db, range: { from: Date; to: Date }): Promise<number> {
	const from = bucketOf(range.from);
	const to = new Date(Math.ceil(range.to.getTime() / INTERVAL_MS) * INTERVAL_MS);
	return db.transaction(async (tx) => {
		const queues = await tx.select().from(voiceQueues);
		const targets = new Map(queues.map((q) => [q.name, q]));
		const rows = await tx
			.select({ type: callLog.type, key: callLog.key, agentId: callLog.agentId, seconds: callLog.seconds, queue: callLog.queue, direction: callLog.direction, callStartedAt: callLog.callStartedAt })
			.from(callLog)
			.where(and(gte(callLog.callStartedAt, from), lt(callLog.callStartedAt, to)));
		const folded = foldLog(rows, (q) => targets.get(q) ?? DEFAULT_QUEUE_TARGETS);
		await tx.delete(reportIntervals).where(and(gte(reportIntervals.bucket, from), lt(reportIntervals.bucket, to)));
		for (let i = 0; i < folded.length; i += 500) await tx.insert(reportIntervals).values(folded.slice(i, i + 500));
		return folded.length;
	});
}
