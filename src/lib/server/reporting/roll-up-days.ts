/**
 * The day rollup: report_days holds whole local days summed from report_intervals and
 * agent_state_intervals, per zone, so a year by day or week (and every agent table, whose range is
 * always whole days) reads one row per day, queue and agent. A day is rolled by the hourly
 * `roll-up-days` job (jobs.ts: the last 400 days), or when a report first asks for it, once it
 * ended at least SETTLE_MS ago; any later change to that day deletes its mark
 * (forgetRolledDay) and the next report rolls it again. Days not rolled are read from the
 * 15-minute rows, so a report is exact either way.
 */
import { and, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { agentStateIntervals, reportDayMarks, reportDays, reportIntervals } from '../db/schema/reporting';
import { CALL_SUM_FIELDS } from '../../reporting/metrics';
import { bucketStarts, nextBucket, wallClock } from './buckets';

/** A day is rolled only once it ended this long ago (late events for it are rare after that). */
export const SETTLE_MS = 60 * 60 * 1000;

export interface DaySplit {
	/** Local days (YYYY-MM-DD) read from report_days. */
	rolled: string[];
	/** Instant ranges read from the 15-minute rows. */
	open: { from: Date; to: Date }[];
}

const two = (n: number) => String(n).padStart(2, '0');
export const localDay = (at: Date, timeZone: string) => {
	const w = wallClock(at, timeZone);
	return `${w.year}-${two(w.month)}-${two(w.day)}`;
};

/** Roll the settled days of [from, to) that have no mark, and say which days come from where. */
export async function rollUpDays(db: Db, timeZone: string, from: Date, to: Date, now: Date): Promise<DaySplit> {
	const days = bucketStarts(from, to, 'day', timeZone).map((start) => ({ start, end: nextBucket(start, 'day', timeZone), day: localDay(start, timeZone) }));
	if (!days.length) return { rolled: [], open: [] };
	const marksOf = async () =>
		new Set(
			(
				await db
					.select({ day: reportDayMarks.day })
					.from(reportDayMarks)
					.where(and(eq(reportDayMarks.zone, timeZone), gte(reportDayMarks.day, days[0]!.day), lt(reportDayMarks.day, localDay(to, timeZone))))
			).map((m) => m.day)
		);
	let marked = await marksOf();
	const missing = days.filter((d) => !marked.has(d.day) && d.end.getTime() <= now.getTime() - SETTLE_MS);
	if (missing.length) {
		await rollDays(db, timeZone, missing);
		marked = await marksOf();
	}
	const open: DaySplit['open'] = [];
	for (const d of days) {
		if (marked.has(d.day)) continue;
		const last = open[open.length - 1];
		if (last && last.to.getTime() === d.start.getTime()) last.to = d.end;
		else open.push({ from: d.start, to: d.end });
	}
	return { rolled: days.filter((d) => marked.has(d.day)).map((d) => d.day), open };
}

const callSums = Object.fromEntries(CALL_SUM_FIELDS.map((f) => [f, sql<number>`sum(${reportIntervals[f]})::float8`.mapWith(Number)])) as Record<(typeof CALL_SUM_FIELDS)[number], SQL<number>>;

async function rollDays(db: Db, timeZone: string, days: { start: Date; end: Date; day: string }[]): Promise<void> {
	await db.transaction(async (tx) => {
		// One roller at a time, so two reports asking for the same days do not interleave.
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext('switchboard:report-days'))`);
		const list = days.map((d) => d.day);
		await tx.delete(reportDays).where(and(eq(reportDays.zone, timeZone), inArray(reportDays.day, list)));
		const localDate = (col: typeof reportIntervals.bucket | typeof agentStateIntervals.bucket) => sql<string>`to_char(${col} at time zone ${timeZone}, 'YYYY-MM-DD')`;
		for (let i = 0; i < days.length; ) {
			// Contiguous days in one statement.
			let j = i;
			while (j + 1 < days.length && days[j + 1]!.start.getTime() === days[j]!.end.getTime()) j++;
			const from = days[i]!.start;
			const to = days[j]!.end;
			const calls = await tx
				.select({ day: localDate(reportIntervals.bucket), queue: reportIntervals.queue, agentId: reportIntervals.agentId, direction: reportIntervals.direction, ...callSums })
				.from(reportIntervals)
				.where(and(gte(reportIntervals.bucket, from), lt(reportIntervals.bucket, to)))
				.groupBy(sql`1`, reportIntervals.queue, reportIntervals.agentId, reportIntervals.direction);
			const rows = calls.map((r) => ({ ...r, zone: timeZone }));
			for (let k = 0; k < rows.length; k += 500) await tx.insert(reportDays).values(rows.slice(k, k + 500));
			const states = await tx
				.select({ day: localDate(agentStateIntervals.bucket), agentId: agentStateIntervals.agentId, staffed: sql`sum(${agentStateIntervals.staffedSeconds})`, handling: sql`sum(${agentStateIntervals.handlingSeconds})` })
				.from(agentStateIntervals)
				.where(and(gte(agentStateIntervals.bucket, from), lt(agentStateIntervals.bucket, to)))
				.groupBy(sql`1`, agentStateIntervals.agentId);
			for (const s of states) {
				const staffedSeconds = Number(s.staffed);
				const handlingSeconds = Number(s.handling);
				await tx
					.insert(reportDays)
					.values({ zone: timeZone, day: s.day, queue: '', agentId: s.agentId, direction: 'inbound', staffedSeconds, handlingSeconds })
					.onConflictDoUpdate({ target: [reportDays.zone, reportDays.day, reportDays.queue, reportDays.agentId, reportDays.direction], set: { staffedSeconds, handlingSeconds } });
			}
			i = j + 1;
		}
		await tx
			.insert(reportDayMarks)
			.values(list.map((day) => ({ zone: timeZone, day })))
			.onConflictDoUpdate({ target: [reportDayMarks.day, reportDayMarks.zone], set: { rolledAt: sql`now()` } });
	});
}
