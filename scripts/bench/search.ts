/**
 * Search at scale: a million call transcripts of realistic length (60 lines of about 5 s, a
 * five-minute call; voicemails 6 lines) over a year, 50 agents, 5 queues, 5,000 customers, on
 * PostgreSQL. The archive is kept between runs in its own database (bench_search) and topped up
 * to the size asked for, because building it takes a while. Measured: searchArchive as a manager
 * and as an agent (filters, ranking, matching lines with highlights, names), beside the bare
 * GIN-indexed `@@` query with LIMIT 20 in the same run.
 */
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import type { Db } from '../../src/lib/server/db/client';
import { selectRows as rows } from '../../src/lib/server/db/rows';
import { searchArchive } from '../../src/lib/server/search/search-archive';
import { ZSearchRequest, type TSearchRequest } from '../../src/lib/server/search/search-request';
import { BENCH_QUERIES, linePool } from './search-corpus';

const POOL = 3000;
/** Distinct transcripts of each kind the archive's calls are copies of. */
const DOCS = 5000;
const AGENTS = 50;
const CUSTOMERS = 5000;
const QUEUES = ['sales', 'support', 'billing', 'returns', 'technical'];
/** The newest call; older ones are 31.5 s apart, so a million span a year. */
const NEWEST = Date.parse('2026-12-01T00:00:00Z');
const SPACING_S = 31.536;

async function seedReferences(db: Db): Promise<void> {
	await db.execute(sql`create table if not exists bench_search_lines (i int primary key, speaker text not null, text text not null)`);
	const [have] = await rows<{ n: number }>(db, sql`select count(*)::int as n from bench_search_lines`);
	if ((have?.n ?? 0) < POOL) {
		await db.execute(sql`truncate bench_search_lines`);
		const pool = linePool(POOL);
		for (let i = 0; i < pool.length; i += 500) {
			const chunk = pool.slice(i, i + 500).map((l, j) => sql`(${i + j}, ${l.speaker}, ${l.text})`);
			await db.execute(sql`insert into bench_search_lines (i, speaker, text) values ${sql.join(chunk, sql`, `)}`);
		}
	}
	// Whole transcripts to copy from (each call gets one, with its own order number): building every
	// transcript line by line made a million take most of an hour on this machine.
	await db.execute(sql`create table if not exists bench_search_docs (i int, kind text, seconds int, text text, segments jsonb, primary key (kind, i))`);
	const [docs] = await rows<{ n: number }>(db, sql`select count(*)::int as n from bench_search_docs`);
	if ((docs?.n ?? 0) < DOCS * 2) {
		await db.execute(sql`truncate bench_search_docs`);
		await db.execute(sql`insert into bench_search_docs (i, kind, seconds, text, segments)
			select d.i, d.kind, max(x.k) * 5, string_agg(x.text, E'\n' order by x.k),
				jsonb_agg(jsonb_build_object('speaker', x.speaker, 'start', (x.k - 1) * 5, 'end', (x.k - 1) * 5 + 4.5, 'text', x.text) order by x.k)
			from (select i, kind from generate_series(0, ${DOCS - 1}::int) i, (values ('call'), ('voicemail')) v(kind)) d
			cross join lateral (select k, l.speaker, case when k = 3 then 'My order number is {order}, I have it here.' else l.text end as text
				from generate_series(1, case when d.kind = 'voicemail' then 6 else 60 end) k
				join bench_search_lines l on l.i = abs(hashint4(d.i * 48 + k + length(d.kind))) % ${POOL}::int) x
			group by d.i, d.kind`);
	}
	await db.execute(sql`insert into "user" (id, name, email, role)
		select 'bench-agent-' || g, 'Bench Agent ' || g, 'bench-agent-' || g || '@switchboard.local', 'agent' from generate_series(1, ${AGENTS}::int) g
		on conflict do nothing`);
	const [customers] = await rows<{ n: number }>(db, sql`select count(*)::int as n from customers`);
	if ((customers?.n ?? 0) < CUSTOMERS) {
		await db.execute(sql`insert into customers (first_name, last_name) select 'Customer', 'Bench ' || g from generate_series(${(customers?.n ?? 0) + 1}::int, ${CUSTOMERS}::int) g`);
	}
	for (const [i, name] of QUEUES.entries()) {
		await db.execute(sql`insert into voice_queues (number, name) values (${`+1415555${String(9100 + i)}`}, ${name}) on conflict do nothing`);
	}
}

/** Calls g in [from, to) and their transcripts; g is kept in the call sid so the transcript can find its call. */
async function seedBatch(db: Db, from: number, to: number): Promise<void> {
	await db.execute(sql`with c as (select array_agg(id order by id) ids from customers),
		a as (select array_agg(id order by id) ids from "user" where id like 'bench-agent-%')
		insert into calls (call_sid, direction, customer_id, agent_id, queue, status, status_rank, outcome, received_at, recording_sid, recording_status)
		select 'CA' || lpad(to_hex(g), 32, '0'), case when g % 4 = 0 then 'outbound' else 'inbound' end,
			c.ids[1 + abs(hashint4(g)) % array_length(c.ids, 1)],
			case when g % 10 = 3 then null else a.ids[1 + abs(hashint4(g + 7)) % array_length(a.ids, 1)] end,
			(string_to_array(${QUEUES.join(',')}, ','))[1 + g % ${QUEUES.length}::int], 'completed', 3, case when g % 10 = 3 then 'voicemail' else 'answered' end,
			${new Date(NEWEST).toISOString()}::timestamptz - (g * ${SPACING_S}::float8) * interval '1 second',
			'RE' || lpad(to_hex(g), 32, '0'), 'stored'
		from generate_series(${from}::int, ${to - 1}::int) g, c, a`);
	await db.execute(sql`insert into call_transcripts (call_id, recording_sid, kind, customer_id, agent_id, queue, direction, occurred_at, status,
			engine, model, language, duration_seconds, text, segments)
		select c.id, c.recording_sid, d.kind, c.customer_id, c.agent_id, c.queue, c.direction, c.received_at, 'done', 'bench', 'bench', 'en',
			d.seconds, replace(d.text, '{order}', (100000 + c.g)::text), d.segments
		from (select *, ('x' || right(call_sid, 8))::bit(32)::int as g from calls
			where call_sid between ${`CA${from.toString(16).padStart(32, '0')}`} and ${`CA${(to - 1).toString(16).padStart(32, '0')}`}) c
		-- Only the text carries the call's own order number; the lines are the template's (re-parsing
		-- each copy's jsonb doubled the load time), so that search shows the whole-text snippet.
		join bench_search_docs d on d.i = abs(hashint4(c.g)) % ${DOCS}::int and d.kind = case when c.outcome = 'voicemail' then 'voicemail' else 'call' end`);
}

/**
 * An archive kept from before migration 0027 (call_transcripts.search STORAGE MAIN) has its
 * tsvectors out of line; one VACUUM FULL rewrites the rows so they are read as the app's are.
 */
async function inlineSearchColumn(db: Db, rowsNow: number, log: (line: string) => void): Promise<void> {
	await db.execute(sql`create table if not exists bench_search_layout (migration int primary key)`);
	const [done] = await rows<{ n: number }>(db, sql`select count(*)::int as n from bench_search_layout where migration = 26`);
	if (done?.n) return;
	if (rowsNow > 0) {
		const t0 = performance.now();
		await db.execute(sql`set maintenance_work_mem = '1GB'`);
		await db.execute(sql`vacuum full call_transcripts`);
		await db.execute(sql`analyze call_transcripts`);
		log(`  search archive: rewritten with search in the row (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
	}
	await db.execute(sql`insert into bench_search_layout values (26)`);
}

/** Brings the archive to `total` transcripts; the GIN index is rebuilt once after a large load. */
export async function seedTranscripts(db: Db, total: number, log: (line: string) => void): Promise<void> {
	await seedReferences(db);
	const [have] = await rows<{ n: number }>(db, sql`select count(*)::int as n from call_transcripts`);
	const start = have?.n ?? 0;
	await inlineSearchColumn(db, start, log);
	if (start >= total) return;
	const bulk = total - start > 50_000;
	if (bulk) await db.execute(sql`drop index if exists call_transcripts_search_idx`);
	const t0 = performance.now();
	const BATCH = 20_000;
	for (let from = start + 1; from <= total; from += BATCH) {
		const to = Math.min(total + 1, from + BATCH);
		await seedBatch(db, from, to);
		log(`  search archive: ${(to - 1).toLocaleString('en-US')} transcripts (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
	}
	if (bulk) {
		await db.execute(sql`set maintenance_work_mem = '1GB'`);
		await db.execute(sql`create index if not exists call_transcripts_search_idx on call_transcripts using gin (search)`);
		log(`  search archive: GIN index built (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
	}
	await db.execute(sql`vacuum analyze call_transcripts`);
	await db.execute(sql`vacuum analyze calls`);
}

export interface SearchBenchResult {
	manager: number[];
	agent: number[];
	bare: number[];
	/** Results per app query, to show the searches found things. */
	hits: number[];
}

const DAY = 86_400_000;

/** Each query with each filter set (none, last 30 days, agent + 90 days, queue + inbound calls, customer). */
function requests(agentId: string, customerId: string): TSearchRequest[] {
	const since = (days: number) => new Date(NEWEST - days * DAY).toISOString();
	const filters: Omit<TSearchRequest, 'q'>[] = [
		{},
		{ from: since(30) },
		{ agentId, from: since(90) },
		{ queue: 'billing', direction: 'inbound', channel: 'call' },
		{ customerId }
	];
	return BENCH_QUERIES.flatMap((q) => filters.map((f) => ({ q, ...f })));
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
	const t0 = performance.now();
	await fn();
	return performance.now() - t0;
}

export async function benchSearch(db: Db, rounds = 2): Promise<SearchBenchResult> {
	const [agent] = await rows<{ id: string }>(db, sql`select id from "user" where id = 'bench-agent-7'`);
	const [customer] = await rows<{ id: string }>(db, sql`select customer_id::text as id from call_transcripts where customer_id is not null order by occurred_at desc limit 1`);
	if (!agent || !customer) throw new Error('benchSearch: seed the archive first');
	const manager = { id: 'bench-manager', role: 'manager' as const };
	const asAgent = { id: agent.id, role: 'agent' as const };
	const list = requests(agent.id, customer.id).map((r) => ZSearchRequest.parse(r));
	const out: SearchBenchResult = { manager: [], agent: [], bare: [], hits: [] };
	for (const r of list.slice(0, 10)) await searchArchive(db, manager, r); // warm caches and plans
	for (let round = 0; round < rounds; round++) {
		for (const r of list) {
			let found = 0;
			out.manager.push(await timed(async () => (found = (await searchArchive(db, manager, r)).items.length)));
			if (round === 0) out.hits.push(found);
			out.agent.push(await timed(() => searchArchive(db, asAgent, r)));
			out.bare.push(await timed(() => db.execute(sql`select id from call_transcripts where search @@ websearch_to_tsquery('english', ${r.q}) limit 20`)));
		}
	}
	return out;
}

/** The URL of the kept search archive database (bench_search) on the server of `pgUrl`, created when missing. */
export async function searchBenchUrl(pgUrl: string): Promise<string> {
	const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
	try {
		const [found] = await admin`select 1 from pg_database where datname = 'bench_search'`;
		if (!found) await admin.unsafe('create database bench_search');
	} finally {
		await admin.end();
	}
	const url = new URL(pgUrl);
	url.pathname = '/bench_search';
	return url.toString();
}
