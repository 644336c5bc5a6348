/**
 * Reporting benches. History: a year of calls (1,000,000 by default, BENCH_REPORT_CALLS) written
 * into the call log with generate_series, the aggregates rebuilt from it month by month by the
 * product's rebuildIntervals; then the history report (day buckets, charts' data, previous period
 * and agent table) against the raw aggregate query over the log for the same numbers. Wallboard:
 * 50 wallboards following the one server-side computation over the in-process Broadcast port;
 * a call answered (recordCallEvent committed) until every wallboard holds a snapshot with it.
 */
import { sql } from 'drizzle-orm';
import { LocalBroadcast } from '../../src/lib/server/adapters/broadcast/local';
import type { Db } from '../../src/lib/server/db/client';
import { calls, voiceQueues } from '../../src/lib/server/db/schema/calls';
import { rebuildIntervals } from '../../src/lib/server/reporting/fold-log';
import { queryHistory } from '../../src/lib/server/reporting/query-history';
import { recordCallEvent } from '../../src/lib/server/reporting/record-call-event';
import { WallboardFeed } from '../../src/lib/server/reporting/wallboard-feed';

const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_MS = 365 * 86_400_000;

/** A year of inbound calls over three queues and 50 agents: 80% answered, 12% abandoned, 5% short, 3% voicemail. */
export async function seedYear(db: Db, callCount: number): Promise<void> {
	await db.insert(voiceQueues).values(['sales', 'support', 'billing'].map((name, i) => ({ number: `+1415555020${i}`, name }))).onConflictDoNothing();
	const step = YEAR_MS / callCount;
	const start = new Date(YEAR_START).toISOString();
	await db.execute(sql`
		insert into calls (call_sid, direction, queue, received_at)
		select 'CA' || lpad(i::text, 32, '0'), 'inbound', (array['sales','support','billing'])[1 + i % 3], ${start}::timestamptz + (i::float8 * ${step}::float8) * interval '1 millisecond'
		from generate_series(1, ${callCount}) as i`);
	await db.execute(sql`
		insert into call_log (call_id, type, direction, at, call_started_at, queue, agent_id, seconds, key)
		select c.id, e.type, 'inbound', c.received_at + e.after * interval '1 second', c.received_at, c.queue, e.agent, e.seconds, ''
		from (select id, received_at, queue, row_number() over (order by received_at)::bigint as n from calls) c
		cross join lateral (
			select * from (values
				('offered', 0, '', null::int, true),
				('answered', (c.n % 40)::int, 'agent-' || (c.n % 50), (c.n % 40)::int, c.n % 100 < 80),
				('ended', 200 + (c.n % 300)::int, 'agent-' || (c.n % 50), 180 + (c.n % 300)::int, c.n % 100 < 80),
				('wrapup_ended', 260 + (c.n % 300)::int, 'agent-' || (c.n % 50), 30 + (c.n % 30)::int, c.n % 100 < 80),
				('abandoned', 20 + (c.n % 90)::int, '', 20 + (c.n % 90)::int, c.n % 100 between 80 and 91),
				('short_abandon', 2, '', 2, c.n % 100 between 92 and 96),
				('voicemail', 120, '', 120, c.n % 100 >= 97)
			) as v(type, after, agent, seconds, happens)
			where happens
		) as e(type, after, agent, seconds, happens)`);
	await db.execute(sql`analyze calls; analyze call_log`);
	for (let m = 0; m < 12; m++) await rebuildIntervals(db, { from: new Date(Date.UTC(2025, m, 1)), to: new Date(Date.UTC(2025, m + 1, 1)) });
	await db.execute(sql`analyze report_intervals`);
}

const time = async (fn: () => Promise<unknown>) => {
	const t0 = performance.now();
	await fn();
	return performance.now() - t0;
};

/** The same figures straight from the log: per day, and per agent, over the year. */
async function rawLogQuery(db: Db): Promise<void> {
	const from = new Date(YEAR_START).toISOString();
	const to = new Date(YEAR_START + YEAR_MS).toISOString();
	await db.execute(sql`
		select date_trunc('day', call_started_at at time zone 'UTC') as day,
			count(*) filter (where type = 'offered') as offered,
			count(*) filter (where type = 'answered' and key = '') as answered,
			count(*) filter (where type = 'answered' and key = '' and seconds <= 20) as in_target,
			count(*) filter (where type = 'abandoned') as abandoned,
			count(*) filter (where type = 'short_abandon') as short,
			sum(seconds) filter (where type = 'answered' and key = '') as wait,
			sum(seconds) filter (where type in ('ended', 'resumed', 'wrapup_ended')) as handle
		from call_log where call_started_at >= ${from}::timestamptz and call_started_at < ${to}::timestamptz group by 1 order by 1`);
	await db.execute(sql`
		select agent_id, count(*) filter (where type = 'answered' and key = '') as answered, sum(seconds) filter (where type in ('ended', 'wrapup_ended')) as handle
		from call_log where call_started_at >= ${from}::timestamptz and call_started_at < ${to}::timestamptz and agent_id <> '' group by 1`);
}

/**
 * The report three ways in one run: from the day rollup (what the page does), from the 15-minute
 * rows alone (before the rollup existed), and the raw log. `first` is the first report, which
 * rolls the two years' days it reads.
 */
export async function benchHistory(db: Db, rounds: number): Promise<{ report: number[]; intervals: number[]; raw: number[]; first: number }> {
	const req = { from: '2025-01-01', to: '2025-12-31', interval: 'day' as const, queues: [], agents: [] };
	const ask = () => queryHistory(db, req, 'UTC');
	const askIntervals = () => queryHistory(db, req, 'UTC', { useDayRollup: false });
	const first = await time(ask);
	await askIntervals();
	await rawLogQuery(db);
	const report: number[] = [];
	const intervals: number[] = [];
	const raw: number[] = [];
	for (let i = 0; i < rounds; i++) {
		report.push(await time(ask));
		intervals.push(await time(askIntervals));
		raw.push(await time(() => rawLogQuery(db)));
	}
	return { report, intervals, raw, first };
}

/** Call answered -> every one of `screens` wallboards holds a snapshot counting it; baseline: the answered event's own commit. */
export async function benchWallboard(db: Db, screens: number, rounds: number): Promise<{ update: number[]; commit: number[] }> {
	const broadcast = new LocalBroadcast();
	const feed = new WallboardFeed({ db, broadcast, timeZone: 'UTC', pollMs: 50 });
	const seen = new Array<number>(screens).fill(-1);
	let waiters: (() => void)[] = [];
	const stops = await Promise.all(
		Array.from({ length: screens }, (_, i) =>
			feed.watch(
				(s) => {
					seen[i] = s.queues.find((q) => q.queue === 'sales')?.today.answered ?? 0;
					for (const w of waiters) w();
				},
				() => {}
			)
		)
	);
	const update: number[] = [];
	const commit: number[] = [];
	try {
		const answeredNow = async () => (await feed.current()).queues.find((q) => q.queue === 'sales')?.today.answered ?? 0;
		for (let r = 0; r < rounds; r++) {
			const target = (await answeredNow()) + 1;
			const [row] = await db.insert(calls).values({ callSid: `CAbench${Date.now()}${r}`, direction: 'inbound', queue: 'sales' }).returning({ id: calls.id });
			await db.transaction((tx) => recordCallEvent(tx, { callId: row!.id, type: 'offered', at: new Date(), queue: 'sales' }));
			const t0 = performance.now();
			await db.transaction((tx) => recordCallEvent(tx, { callId: row!.id, type: 'answered', at: new Date(), agentId: 'agent-1', seconds: 3 }));
			commit.push(performance.now() - t0);
			await new Promise<void>((resolve) => {
				const check = () => {
					if (seen.every((v) => v >= target)) {
						waiters = waiters.filter((w) => w !== check);
						resolve();
					}
				};
				waiters.push(check);
				check();
			});
			update.push(performance.now() - t0);
		}
	} finally {
		for (const stop of stops) stop();
		feed.stop();
		await broadcast.close();
	}
	return { update, commit };
}
