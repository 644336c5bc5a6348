/**
 * A history report: a range of days in the call center's time zone, an interval, queues and
 * agents, read from the 15-minute aggregates (never the raw log), with the same figures for the
 * period just before and an agent table. Bad input is refused with what to change.
 */
import { and, eq, gte, inArray, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { voiceQueues } from '../db/schema/calls';
import { reportIntervals } from '../db/schema/reporting';
import { badRequest } from '../errors';
import { figuresOf, SUM_FIELDS, type Figures, type IntervalSums } from '../../reporting/metrics';
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

const summed = Object.fromEntries(SUM_FIELDS.map((f) => [f, sql<number>`coalesce(sum(${reportIntervals[f]}), 0)::float8`.mapWith(Number)])) as Record<keyof IntervalSums, SQL<number>>;

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

function filters(req: HistoryRequest, from: Date, to: Date): SQL[] {
	const where = [gte(reportIntervals.bucket, from), lt(reportIntervals.bucket, to)];
	if (req.queues.length) where.push(inArray(reportIntervals.queue, req.queues));
	if (req.agents.length) where.push(inArray(reportIntervals.agentId, req.agents));
	return where;
}

/**
 * The bucket a stored interval falls in. Days and weeks: the local date, by PostgreSQL's own zone
 * rules (DST included). 15 minutes and hours: fixed widths counted from the range's local
 * midnight, named by their UTC start, so the hour a fall-back repeats stays two hours.
 */
function bucketKey(interval: HistoryRequest['interval'], timeZone: string, origin: Date): SQL<string> {
	if (interval === 'day' || interval === 'week') return sql<string>`to_char(date_trunc(${interval}, ${reportIntervals.bucket} at time zone ${timeZone}), 'YYYY-MM-DD HH24:MI')`;
	const width = interval === '15m' ? '15 minutes' : '1 hour';
	return sql<string>`to_char(date_bin(${width}::interval, ${reportIntervals.bucket}, ${origin.toISOString()}::timestamptz) at time zone 'UTC', 'YYYY-MM-DD HH24:MI')`;
}

/** Sums per local bucket, summed in the database (a year by day is 365 rows, not 35,000). */
async function bucketRows(db: Db, req: HistoryRequest, from: Date, to: Date, timeZone: string): Promise<KeyedSums[]> {
	const key = bucketKey(req.interval, timeZone, from);
	return db
		.select({ key, ...summed })
		.from(reportIntervals)
		.where(and(...filters(req, from, to)))
		// By position: the key's parameters would make a repeated expression look different.
		.groupBy(sql`1`);
}

async function agentRows(db: Db, req: HistoryRequest, from: Date, to: Date): Promise<AgentRow[]> {
	const rows = await db
		.select({ agentId: reportIntervals.agentId, name: sql<string>`coalesce(max(${user.name}), ${reportIntervals.agentId})`, ...summed })
		.from(reportIntervals)
		.leftJoin(user, eq(user.id, reportIntervals.agentId))
		.where(and(...filters(req, from, to), ne(reportIntervals.agentId, '')))
		.groupBy(reportIntervals.agentId)
		.orderBy(reportIntervals.agentId);
	return rows.map(({ agentId, name, ...sums }) => ({ agentId, name, figures: figuresOf(sums) })).sort((a, b) => a.name.localeCompare(b.name));
}

export async function queryHistory(db: Db, req: HistoryRequest, timeZone: string): Promise<HistoryReport> {
	const { from, to, starts } = resolveRange(req, timeZone);
	await checkFilters(db, req);
	// The period before: as many buckets, ending where this one starts.
	const span = to.getTime() - from.getTime();
	const prevFrom = new Date(from.getTime() - span);
	const prevStarts = starts.map((s) => new Date(s.getTime() - span));
	const [rows, prevRows, agents] = await Promise.all([bucketRows(db, req, from, to, timeZone), bucketRows(db, req, prevFrom, from, timeZone), agentRows(db, req, from, to)]);
	const keyZone = req.interval === 'day' || req.interval === 'week' ? timeZone : 'UTC';
	const points = seriesByKey(rows, starts, keyZone);
	const previous = seriesByKey(prevRows, prevStarts, keyZone);
	return { timeZone, interval: req.interval, from, to, points, previous, totals: figuresOf(totalOf(points)), previousTotals: figuresOf(totalOf(previous)), agents };
}
