/**
 * A history report: a range of days in the call center's time zone, an interval, queues and
 * agents, read from the aggregates (never the raw log): whole settled days from the day rollup
 * (roll-up-days.ts), the rest from the 15-minute rows, with the same figures for the
 * period just before and an agent table. Bad input is refused with what to change.
 */
import { and, eq, gte, inArray, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { voiceQueues } from '../db/schema/calls';
import { agentStateIntervals, reportDays, reportIntervals } from '../db/schema/reporting';
import { badRequest } from '../errors';
import { addSums, CALL_SUM_FIELDS, emptySums, figuresOf, type Figures, type IntervalSums } from '../../reporting/metrics';
import { rollUpDays, type DaySplit } from './roll-up-days';
import { bucketStarts, zonedTime, type ReportInterval } from './buckets';
import { seriesByKey, totalOf, type KeyedSums, type SeriesPoint } from './history-series';

/** Longest range a report covers; a year and a month, so a year against the year before works. */
export const MAX_RANGE_DAYS = 400;
/** Most points one chart draws; more asks for a longer interval. */
export const MAX_POINTS = 3000;

export interface HistoryRequest {
	/** First and last day, `YYYY-MM-DD`, inclusive, in the time zone. */
	from: string;
	to: string;
	interval: ReportInterval;
	queues: string[];
	agents: string[];
}

export interface AgentRow {
	agentId: string;
	name: string;
	figures: Figures;
}

export interface HistoryReport {
	timeZone: string;
	interval: ReportInterval;
	from: Date;
	to: Date;
	points: SeriesPoint[];
	previous: SeriesPoint[];
	totals: Figures;
	previousTotals: Figures;
	agents: AgentRow[];
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayStart(value: string, timeZone: string, label: string): Date {
	const m = DAY.exec(value);
	const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
	if (!m || !date || date.getUTCDate() !== Number(m[3])) throw badRequest('BAD_DATE', `The ${label} date must be a day written YYYY-MM-DD, e.g. 2026-12-01.`);
	return zonedTime(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, timeZone);
}

/** The range as instants: from the first day's midnight to the midnight after the last day. */
export function resolveRange(req: Pick<HistoryRequest, 'from' | 'to' | 'interval'>, timeZone: string): { from: Date; to: Date; starts: Date[] } {
	const from = dayStart(req.from, timeZone, 'start');
	const last = dayStart(req.to, timeZone, 'end');
	if (last < from) throw badRequest('RANGE_END_BEFORE_START', `The range ends (${req.to}) before it starts (${req.from}): choose an end on or after the start.`);
	const [y, m, d] = req.to.split('-').map(Number) as [number, number, number];
	const to = zonedTime(y, m, d + 1, 0, 0, timeZone);
	if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) throw badRequest('RANGE_TOO_LONG', `Choose a range of at most ${MAX_RANGE_DAYS} days.`);
	const starts = bucketStarts(from, to, req.interval, timeZone);
	if (starts.length > MAX_POINTS) throw badRequest('TOO_MANY_INTERVALS', `That range has ${starts.length} intervals of this size; choose a longer interval or a shorter range (at most ${MAX_POINTS}).`);
	return { from, to, starts };
}

type SumTable = typeof reportIntervals | typeof reportDays;
const callSums = (t: SumTable) => Object.fromEntries(CALL_SUM_FIELDS.map((f) => [f, sql<number>`coalesce(sum(${t[f]}), 0)::float8`.mapWith(Number)])) as Record<(typeof CALL_SUM_FIELDS)[number], SQL<number>>;
const stateSums = (t: typeof agentStateIntervals | typeof reportDays) => ({
	staffedSeconds: sql<number>`coalesce(sum(${t.staffedSeconds}), 0)::float8`.mapWith(Number),
	handlingSeconds: sql<number>`coalesce(sum(${t.handlingSeconds}), 0)::float8`.mapWith(Number)
});

async function checkFilters(db: Db, req: HistoryRequest): Promise<void> {
	if (req.queues.length) {
		const known = new Set((await db.select({ name: voiceQueues.name }).from(voiceQueues)).map((q) => q.name));
		const unknown = req.queues.filter((q) => !known.has(q));
		if (unknown.length) throw badRequest('UNKNOWN_QUEUE', `No queue named ${unknown.map((q) => `"${q}"`).join(', ')}; choose from ${[...known].sort().join(', ') || 'none yet'}.`);
	}
	if (req.agents.length) {
		const found = new Set((await db.select({ id: user.id }).from(user).where(inArray(user.id, req.agents))).map((u) => u.id));
		const unknown = req.agents.filter((a) => !found.has(a));
		if (unknown.length) throw badRequest('UNKNOWN_AGENT', `No staff member with id ${unknown.join(', ')}.`);
	}
}

/** Where the figures of [from, to) come from: rolled days (report_days) and 15-minute rows for the rest. */
type Split = DaySplit;

const inRanges = (col: typeof reportIntervals.bucket | typeof agentStateIntervals.bucket, ranges: Split['open']) =>
	or(...ranges.map((r) => and(gte(col, r.from), lt(col, r.to)))) as SQL;

/** Call-sum filters; agent time ignores the queue filter (it belongs to no queue). */
function callFilters(t: SumTable, req: HistoryRequest): SQL[] {
	const where: SQL[] = [];
	if (req.queues.length) where.push(inArray(t.queue, req.queues));
	if (req.agents.length) where.push(inArray(t.agentId, req.agents));
	return where;
}
const agentFilter = (col: typeof reportDays.agentId | typeof agentStateIntervals.agentId, req: HistoryRequest): SQL[] => (req.agents.length ? [inArray(col, req.agents)] : []);

/**
 * The bucket a stored interval falls in. Days and weeks: the local date, by PostgreSQL's own zone
 * rules (DST included). 15 minutes and hours: fixed widths counted from the range's local
 * midnight, named by their UTC start, so the hour a fall-back repeats stays two hours.
 */
function bucketKey(col: typeof reportIntervals.bucket | typeof agentStateIntervals.bucket, interval: HistoryRequest['interval'], timeZone: string, origin: Date): SQL<string> {
	if (interval === 'day' || interval === 'week') return sql<string>`to_char(date_trunc(${interval}, ${col} at time zone ${timeZone}), 'YYYY-MM-DD HH24:MI')`;
	const width = interval === '15m' ? '15 minutes' : '1 hour';
	return sql<string>`to_char(date_bin(${width}::interval, ${col}, ${origin.toISOString()}::timestamptz) at time zone 'UTC', 'YYYY-MM-DD HH24:MI')`;
}
const dayKey = (interval: 'day' | 'week') => sql<string>`to_char(date_trunc(${interval}, ${reportDays.day}::timestamp), 'YYYY-MM-DD HH24:MI')`;

function mergeInto<K>(into: Map<K, IntervalSums>, key: K, add: Partial<IntervalSums>): void {
	let sums = into.get(key);
	if (!sums) into.set(key, (sums = emptySums()));
	addSums(sums, add);
}

/** Sums per local bucket, summed in the database (a year by day is 365 rows per source, not 35,000). */
async function bucketRows(db: Db, req: HistoryRequest, from: Date, to: Date, timeZone: string, split: Split | null): Promise<KeyedSums[]> {
	const byKey = new Map<string, IntervalSums>();
	// By position in group by: the key's parameters would make a repeated expression look different.
	const reads: Promise<void>[] = [];
	const take = (rows: ({ key: string } & Partial<IntervalSums>)[]) => {
		for (const { key, ...sums } of rows) mergeInto(byKey, key, sums);
	};
	const open = split ? split.open : [{ from, to }];
	if (open.length) {
		reads.push(
			db.select({ key: bucketKey(reportIntervals.bucket, req.interval, timeZone, from), ...callSums(reportIntervals) }).from(reportIntervals).where(and(inRanges(reportIntervals.bucket, open), ...callFilters(reportIntervals, req))).groupBy(sql`1`).then(take),
			db.select({ key: bucketKey(agentStateIntervals.bucket, req.interval, timeZone, from), ...stateSums(agentStateIntervals) }).from(agentStateIntervals).where(and(inRanges(agentStateIntervals.bucket, open), ...agentFilter(agentStateIntervals.agentId, req))).groupBy(sql`1`).then(take)
		);
	}
	if (split?.rolled.length && (req.interval === 'day' || req.interval === 'week')) {
		const days = and(eq(reportDays.zone, timeZone), inArray(reportDays.day, split.rolled));
		reads.push(
			db.select({ key: dayKey(req.interval), ...callSums(reportDays) }).from(reportDays).where(and(days, ...callFilters(reportDays, req))).groupBy(sql`1`).then(take),
			db.select({ key: dayKey(req.interval), ...stateSums(reportDays) }).from(reportDays).where(and(days, ...agentFilter(reportDays.agentId, req))).groupBy(sql`1`).then(take)
		);
	}
	await Promise.all(reads);
	return [...byKey].map(([key, sums]) => ({ key, ...sums }));
}

/** Per agent over the range: always whole local days, so rolled days serve it whatever the interval. */
async function agentRows(db: Db, req: HistoryRequest, timeZone: string, split: Split): Promise<AgentRow[]> {
	const byAgent = new Map<string, IntervalSums>();
	const take = (rows: ({ agentId: string } & Partial<IntervalSums>)[]) => {
		for (const { agentId, ...sums } of rows) mergeInto(byAgent, agentId, sums);
	};
	const reads: Promise<void>[] = [];
	if (split.open.length) {
		reads.push(
			db.select({ agentId: reportIntervals.agentId, ...callSums(reportIntervals) }).from(reportIntervals).where(and(inRanges(reportIntervals.bucket, split.open), ne(reportIntervals.agentId, ''), ...callFilters(reportIntervals, req))).groupBy(reportIntervals.agentId).then(take),
			db.select({ agentId: agentStateIntervals.agentId, ...stateSums(agentStateIntervals) }).from(agentStateIntervals).where(and(inRanges(agentStateIntervals.bucket, split.open), ...agentFilter(agentStateIntervals.agentId, req))).groupBy(agentStateIntervals.agentId).then(take)
		);
	}
	if (split.rolled.length) {
		const days = and(eq(reportDays.zone, timeZone), inArray(reportDays.day, split.rolled), ne(reportDays.agentId, ''));
		reads.push(
			db.select({ agentId: reportDays.agentId, ...callSums(reportDays) }).from(reportDays).where(and(days, ...callFilters(reportDays, req))).groupBy(reportDays.agentId).then(take),
			db.select({ agentId: reportDays.agentId, ...stateSums(reportDays) }).from(reportDays).where(and(days, ...agentFilter(reportDays.agentId, req))).groupBy(reportDays.agentId).then(take)
		);
	}
	await Promise.all(reads);
	const ids = [...byAgent.keys()];
	const names = new Map(ids.length ? (await db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.id, ids))).map((u) => [u.id, u.name]) : []);
	return [...byAgent]
		.filter(([, sums]) => CALL_SUM_FIELDS.some((f) => sums[f] !== 0) || sums.staffedSeconds > 0)
		.map(([agentId, sums]) => ({ agentId, name: names.get(agentId) ?? agentId, figures: figuresOf(sums) }))
		.sort((a, b) => a.name.localeCompare(b.name) || a.agentId.localeCompare(b.agentId));
}

export interface HistoryOptions {
	now?: Date;
	/** false reads only the 15-minute rows (the bench's before figure); default true. */
	useDayRollup?: boolean;
}

export async function queryHistory(db: Db, req: HistoryRequest, timeZone: string, options: HistoryOptions = {}): Promise<HistoryReport> {
	const { from, to, starts } = resolveRange(req, timeZone);
	await checkFilters(db, req);
	// The period before: as many buckets, ending where this one starts.
	const span = to.getTime() - from.getTime();
	const prevFrom = new Date(from.getTime() - span);
	const prevStarts = starts.map((s) => new Date(s.getTime() - span));
	const now = options.now ?? new Date();
	const unrolled = (a: Date, b: Date): Split => ({ rolled: [], open: [{ from: a, to: b }] });
	const [split, prevSplit] =
		options.useDayRollup === false
			? [unrolled(from, to), unrolled(prevFrom, from)]
			: await Promise.all([rollUpDays(db, timeZone, from, to, now), rollUpDays(db, timeZone, prevFrom, from, now)]);
	const daily = req.interval === 'day' || req.interval === 'week';
	const [rows, prevRows, agents] = await Promise.all([
		bucketRows(db, req, from, to, timeZone, daily ? split : null),
		bucketRows(db, req, prevFrom, from, timeZone, daily ? prevSplit : null),
		agentRows(db, req, timeZone, split)
	]);
	const keyZone = req.interval === 'day' || req.interval === 'week' ? timeZone : 'UTC';
	const points = seriesByKey(rows, starts, keyZone);
	const previous = seriesByKey(prevRows, prevStarts, keyZone);
	return { timeZone, interval: req.interval, from, to, points, previous, totals: figuresOf(totalOf(points)), previousTotals: figuresOf(totalOf(previous)), agents };
}
