/**
 * Full-text search over call and voicemail transcripts and text messages (PostgreSQL FTS: the
 * generated `search` tsvectors, their GIN indexes, websearch_to_tsquery, ts_rank, ts_headline).
 *
 * Built for a million transcripts: each source first takes its newest CANDIDATES matches within
 * the filters (transcripts: a bounded walk of the newest rows, then the GIN index in windows sized
 * from what the walk met; see `callCandidateIds`), only those are ranked (the page is the best
 * of them, newest first on ties), and only the page's rows get snippets. Call snippets are the transcript lines
 * that match, each with its start second, found in the returned rows' `segments` alone; a match
 * that spans two lines falls back to a snippet of the whole text.
 */
import { sql, type SQL } from 'drizzle-orm';
import { splitSnippet, MARK_START, MARK_STOP } from '$lib/search/highlight';
import type { CallViewer } from '../calls/call-access';
import { displayName } from '../crm/display-name';
import type { Db } from '../db/client';
import { selectRows as rows } from '../db/rows';
import { callScope, type CallScope } from './search-scope';
import { searchText, type SearchHit, type SearchLine, type SearchRequest, type SearchResponse } from './search-request';

/** Newest matches per source that are ranked. */
export const CANDIDATES = 400;
/** Matching lines shown per call. */
export const LINES_PER_HIT = 3;

const HEADLINE = sql.raw(`'StartSel="${MARK_START}", StopSel="${MARK_STOP}", MaxWords=30, MinWords=12, MaxFragments=2'`);
/** A text is short (at most 1600 characters): shown whole, its matches marked. */
const HEADLINE_WHOLE = sql.raw(`'StartSel="${MARK_START}", StopSel="${MARK_STOP}", HighlightAll=true'`);
const MARKERS = `${MARK_START}${MARK_STOP}`;
const tsquery = (text: string) => sql`websearch_to_tsquery('english', ${text})`;

const range = (column: SQL, r: SearchRequest) => [
	r.from ? sql`${column} >= ${r.from}::timestamptz` : undefined,
	r.to ? sql`${column} < ${r.to}::timestamptz` : undefined
];

const where = (conditions: (SQL | undefined)[]) =>
	sql.join(
		conditions.filter((c): c is SQL => c !== undefined),
		sql` and `
	);

/**
 * Transcripts within the filters read newest first, each checked with `@@`, before the GIN index
 * is asked: a common word is found in the newest few hundred without the index (whose bitmap for
 * a word in half the archive costs tens of milliseconds to build), a rare one costs this many
 * tsvector reads before the index takes over.
 */
export const WALK = 2000;
/** Rows a walk goes on for when its matches so far say that is where the missing ones are. */
export const WALK_MORE = 8000;

/**
 * The filters and the viewer's scope on `call_transcripts ct`: `lead`, the one a (column, date)
 * index holds (customer, agent, the viewer's own calls, queue; the first present) with the date
 * range, and `rest`, tested on the rows that index hands over, cheap column tests first.
 */
function callFilters(r: SearchRequest, scope: CallScope): { lead: SQL[]; rest: SQL[] } {
	const kind = r.channel === 'call' || r.channel === 'voicemail' ? sql`ct.kind = ${r.channel}` : undefined;
	const scoped =
		scope === null
			? undefined
			: scope.callIds.length > 0
				? sql`(ct.agent_id = ${scope.agentId} or ct.call_id in ${scope.callIds})`
				: sql`ct.agent_id = ${scope.agentId}`;
	const indexed = [
		r.customerId ? sql`ct.customer_id = ${r.customerId}` : undefined,
		r.agentId ? sql`ct.agent_id = ${r.agentId}` : undefined,
		scoped,
		r.queue ? sql`ct.queue = ${r.queue}` : undefined
	].filter((c): c is SQL => c !== undefined);
	const dates = range(sql`ct.occurred_at`, r).filter((c): c is SQL => c !== undefined);
	const others = [kind, r.direction ? sql`ct.direction = ${r.direction}` : undefined].filter((c): c is SQL => c !== undefined);
	return { lead: [...indexed.slice(0, 1), ...dates], rest: [...others, ...indexed.slice(1)] };
}

const whereAll = (conditions: SQL[]) => (conditions.length > 0 ? sql`where ${where(conditions)}` : sql``);

/** Upper bound that includes its instant (the walk's last row; rows sharing it may be unread). */
interface Through {
	through?: string;
}

/**
 * One window of the transcripts' candidates through the GIN index: newest first within filters
 * and scope. `wide` (a window over a year long or open-ended: the words are rare here): the queue
 * is tested on the rows, not through its (queue, date) index, or PostgreSQL may AND a bitmap of
 * 200,000 rows with a rare word's bitmap of a few (150 ms measured for a word in one transcript);
 * in a narrower window that index keeps a phrase's rechecks to the queue's rows.
 */
function callWindow(q: SQL, r: SearchRequest & Through, scope: CallScope, limit: number, wide: boolean): SQL {
	const { lead, rest } = callFilters(wide ? { ...r, queue: undefined } : r, scope);
	// Column filters before `@@`: PostgreSQL tests quals of equal cost in the order written.
	const queue = wide && r.queue ? [sql`(ct.queue = ${r.queue}) is true`] : [];
	return sql`select ct.id::text as id from call_transcripts ct ${whereAll([...lead, ...rest, ...queue, ...through(r), sql`ct.search @@ ${q}`])}
		order by ct.occurred_at desc limit ${limit}`;
}

/**
 * The walk: the newest `walk` transcripts of the lead filter's index (or the date index), each
 * tested with the other filters, then `@@` (the tsvector is in the row: migration 0027), stopping
 * at `limit` matches. The LIMIT inside makes PostgreSQL walk the index whatever it guesses about
 * the words' frequency, and bounds the rows read however selective the other filters are.
 */
function callWalk(q: SQL, r: SearchRequest & Through, scope: CallScope, walk: number, limit: number): SQL {
	const { lead, rest } = callFilters(r, scope);
	return sql`select ct.id::text as id from (select * from call_transcripts ct ${whereAll([...lead, ...through(r)])}
		order by ct.occurred_at desc limit ${walk}) ct ${whereAll([...rest, sql`ct.search @@ ${q}`])} limit ${limit}`;
}

const through = (r: Through) => (r.through ? [sql`ct.occurred_at <= ${r.through}::timestamptz`] : []);

/** When a walk's first and last rows happened (ms), or undefined when the lead filter holds no more rows than it read. */
async function walkSpan(db: Db, r: SearchRequest & Through, scope: CallScope, walk: number): Promise<{ first: number; last: number } | undefined> {
	const { lead } = callFilters(r, scope);
	const at = (offset: number) =>
		sql`(select (extract(epoch from ct.occurred_at) * 1000)::float8 from call_transcripts ct ${whereAll([...lead, ...through(r)])} order by ct.occurred_at desc offset ${offset} limit 1)`;
	const [span] = await rows<{ first: number | null; last: number | null }>(db, sql`select ${at(0)} as first, ${at(walk - 1)} as last`);
	return span?.first != null && span.last != null ? { first: span.first, last: span.last } : undefined;
}

/**
 * The transcripts' candidates, the newest CANDIDATES matches. First the walk (see `callWalk`) of
 * WALK rows; while it falls short and the matches it met say the missing ones lie within
 * WALK_MORE more rows, it walks on from its last row (a common word behind a selective filter:
 * the GIN bitmap of a word in half the archive costs far more than a few thousand rows).
 * Otherwise the GIN index takes over from the walk's last row back, in date windows sized from
 * what the walk found: a window meant to hold the matches still missing (one and a half times
 * over) at the rate the walk met them, each next window four times as long, until enough are
 * found or the range ends. A walk that found nothing leaves the whole rest to one statement (its
 * words are rare, so the index hands over few rows). Within a window PostgreSQL ANDs the GIN
 * bitmap with the date index's, so it reads from the heap only that window's matches; each
 * window is one pass over the words' posting lists, so few, right-sized windows beat a ladder.
 * A walk resumes at its last row's instant, included (rows of that instant may be unread); what
 * it finds again is counted once.
 */
async function callCandidateIds(db: Db, q: SQL, r: SearchRequest, scope: CallScope, walk: number): Promise<string[]> {
	const found = new Set<string>();
	let from: SearchRequest & Through = r;
	let size = walk;
	let walked = 0;
	let first: number | undefined;
	let span: { first: number; last: number } | undefined;
	for (;;) {
		const limit = CANDIDATES - found.size + (from.through ? 1 : 0);
		for (const row of await rows<{ id: string }>(db, callWalk(q, from, scope, size, limit))) found.add(row.id);
		if (found.size >= CANDIDATES) return [...found].slice(0, CANDIDATES);
		span = await walkSpan(db, from, scope, size);
		if (span === undefined) return [...found];
		first ??= span.first;
		walked += size;
		from = { ...r, to: undefined, through: new Date(span.last).toISOString() };
		const more = found.size > 0 ? ((CANDIDATES - found.size) * walked * 1.5) / found.size : Infinity;
		if (more > WALK_MORE) break;
		size = Math.ceil(more);
	}
	const oldest = r.from ? Date.parse(r.from) : -Infinity;
	let upper: string | undefined = undefined;
	let width = found.size === 0 ? Infinity : Math.max(60_000, ((first - span.last) * (CANDIDATES - found.size) * 1.5) / found.size);
	let edge = span.last;
	for (;;) {
		const bound = edge - width;
		// Past the range's start (or before 1970, when no transcript was made): the rest, in one.
		const lower = bound > oldest && bound > 0 ? new Date(bound).toISOString() : r.from;
		const window = upper === undefined ? { ...from, from: lower } : { ...r, from: lower, to: upper };
		const limit = CANDIDATES - found.size + (upper === undefined ? 1 : 0);
		for (const row of await rows<{ id: string }>(db, callWindow(q, window, scope, limit, lower === r.from || width > 365 * 86_400_000))) found.add(row.id);
		if (found.size >= CANDIDATES || lower === r.from) break;
		upper = lower;
		edge = bound;
		width *= 4;
	}
	return [...found].slice(0, CANDIDATES);
}

/** The texts' candidates. Agent: who sent it; queue: the queue of the number the thread uses. */
function smsCandidates(q: SQL, r: SearchRequest): SQL {
	const conditions = [
		r.agentId ? sql`m.author_id = ${r.agentId}` : undefined,
		r.queue ? sql`t.our_phone in (select number from voice_queues where name = ${r.queue})` : undefined,
		r.customerId ? sql`t.customer_id = ${r.customerId}` : undefined,
		r.direction ? sql`m.direction = ${r.direction}` : undefined,
		...range(sql`m.created_at`, r),
		sql`m.search @@ ${q}`
	];
	return sql`select 'sms' as src, m.id, m.created_at as at, ts_rank(m.search, ${q}, 1) as rank from sms_messages m join sms_threads t on t.id = m.thread_id
		where ${where(conditions)} order by m.created_at desc limit ${CANDIDATES}`;
}

interface Ranked {
	src: 'call' | 'sms';
	id: string;
	rank: number;
	n: number;
}

/** The page: the candidates of each source ranked together, best first, newest on ties. */
function planRanking(q: SQL, r: SearchRequest, callIds: string[]): SQL {
	const calls =
		callIds.length > 0
			? sql`select 'call' as src, ct.id, ct.occurred_at as at, ts_rank(ct.search, ${q}, 1) as rank from call_transcripts ct where ct.id in ${callIds}`
			: undefined;
	const parts = [
		calls,
		r.channel === undefined || r.channel === 'sms' ? smsCandidates(q, r) : undefined
	].filter((p): p is SQL => p !== undefined);
	const union = sql.join(
		parts.map((p) => sql`(${p})`),
		sql` union all `
	);
	// Ranked inside each part, so the sorts below carry ids and numbers, not tsvectors.
	return sql`select src, id::text as id, rank::float8 as rank, count(*) over (partition by src)::int as n
		from (${union}) hits order by rank desc, at desc limit ${r.limit}`;
}

interface CallRow {
	id: string;
	call_id: string;
	kind: 'call' | 'voicemail';
	at_ms: number;
	direction: 'inbound' | 'outbound';
	queue: string | null;
	customer_id: string | null;
	first_name: string | null;
	last_name: string | null;
	company: string | null;
	phone: string | null;
	agent_id: string | null;
	agent_name: string | null;
}
interface LineRow {
	id: string;
	start: number;
	speaker: 'agent' | 'customer' | 'unknown';
	snippet: string;
}

const clean = (column: SQL) => sql`translate(${column}, ${MARKERS}, '')`;

const wholeText = (snippet: string | undefined): SearchLine[] => (snippet ? [{ start: null, speaker: null, parts: splitSnippet(snippet) }] : []);

async function callHits(db: Db, q: SQL, text: string, ids: string[]): Promise<Map<string, Omit<SearchHit, 'rank'>>> {
	const [found, lines] = await Promise.all([
		rows<CallRow>(
			db,
			sql`select ct.id::text, ct.call_id::text, ct.kind, (extract(epoch from ct.occurred_at) * 1000)::float8 as at_ms, ct.direction, ct.queue,
				ct.customer_id::text, cu.first_name, cu.last_name, cu.company, ct.agent_id, u.name as agent_name,
				(select case when c.direction = 'outbound' then c.to_e164 else c.from_e164 end from calls c where c.id = ct.call_id) as phone
			from call_transcripts ct left join customers cu on cu.id = ct.customer_id left join "user" u on u.id = ct.agent_id
			where ct.id in ${ids}`
		),
		// The first LINES_PER_HIT matching lines: the function scan yields the lines in order and the
		// LIMIT stops it there, so a common word parses a few lines, not all of them (no ORDER BY
		// inside, which would parse every line to sort them). A line is parsed only when its
		// lowercase text holds one of the query's stems (a final "i" dropped: "delivery" is stemmed
		// "deliveri"); a stem that is not a prefix of its word ("dying": "die") misses its line, and
		// a call whose lines all miss gets the whole-text snippet below, so nothing is lost.
		rows<LineRow>(
			db,
			sql`with stems as (select coalesce(array_agg(regexp_replace(lexeme, '(.)i$', '\\1')), '{}') as list from unnest(to_tsvector('english', ${text})))
			select ct.id::text, l.start, l.speaker, ts_headline('english', ${clean(sql`l.text`)}, ${q}, ${HEADLINE}) as snippet
			from stems, call_transcripts ct cross join lateral (
				select (s->>'start')::float8 as start, s->>'speaker' as speaker, s->>'text' as text, ord
				from jsonb_array_elements(ct.segments) with ordinality as e(s, ord)
				where exists (select 1 from unnest(stems.list) w where strpos(lower(s->>'text'), w) > 0)
					and to_tsvector('english', s->>'text') @@ ${q} limit ${LINES_PER_HIT}) l
			where ct.id in ${ids} order by ct.id, l.ord`
		)
	]);
	// A match that no single line holds (a phrase across two lines): a snippet of the whole text.
	const lineless = ids.filter((id) => !lines.some((l) => l.id === id));
	const fallbacks = lineless.length
		? await rows<{ id: string; snippet: string }>(
				db,
				sql`select ct.id::text, ts_headline('english', ${clean(sql`ct.text`)}, ${q}, ${HEADLINE}) as snippet from call_transcripts ct where ct.id in ${lineless}`
			)
		: [];
	const fallback = new Map(fallbacks.map((f) => [f.id, f.snippet]));
	const byId = new Map<string, SearchLine[]>();
	for (const line of lines) {
		const list = byId.get(line.id) ?? [];
		list.push({ start: line.start, speaker: line.speaker, parts: splitSnippet(line.snippet) });
		byId.set(line.id, list);
	}
	return new Map(
		found.map((row) => [
			row.id,
			{
				channel: row.kind,
				id: row.call_id,
				threadId: null,
				at: new Date(row.at_ms).toISOString(),
				direction: row.direction,
				queue: row.queue,
				customer: row.customer_id ? { id: row.customer_id, name: displayName({ firstName: row.first_name ?? '', lastName: row.last_name ?? '', company: row.company ?? '' }) } : null,
				phone: row.phone,
				agent: row.agent_id ? { id: row.agent_id, name: row.agent_name ?? 'Former staff member' } : null,
				lines: byId.get(row.id) ?? wholeText(fallback.get(row.id))
			}
		])
	);
}

interface SmsRow {
	id: string;
	thread_id: string;
	at_ms: number;
	direction: 'inbound' | 'outbound';
	queue: string | null;
	customer_id: string | null;
	first_name: string | null;
	last_name: string | null;
	company: string | null;
	customer_phone: string;
	author_id: string | null;
	author_name: string | null;
	snippet: string;
}

async function smsHits(db: Db, q: SQL, ids: string[]): Promise<Map<string, Omit<SearchHit, 'rank'>>> {
	const found = await rows<SmsRow>(
		db,
		sql`select m.id::text, m.thread_id::text, (extract(epoch from m.created_at) * 1000)::float8 as at_ms, m.direction,
			(select name from voice_queues vq where vq.number = t.our_phone) as queue,
			t.customer_id::text, cu.first_name, cu.last_name, cu.company, t.customer_phone, m.author_id, u.name as author_name,
			ts_headline('english', ${clean(sql`m.body`)}, ${q}, ${HEADLINE_WHOLE}) as snippet
		from sms_messages m join sms_threads t on t.id = m.thread_id
			left join customers cu on cu.id = t.customer_id left join "user" u on u.id = m.author_id
		where m.id in ${ids}`
	);
	return new Map(
		found.map((row) => [
			row.id,
			{
				channel: 'sms',
				id: row.id,
				threadId: row.thread_id,
				at: new Date(row.at_ms).toISOString(),
				direction: row.direction,
				queue: row.queue,
				customer: row.customer_id ? { id: row.customer_id, name: displayName({ firstName: row.first_name ?? '', lastName: row.last_name ?? '', company: row.company ?? '' }) } : null,
				phone: row.customer_phone,
				agent: row.author_id ? { id: row.author_id, name: row.author_name ?? 'Former staff member' } : null,
				lines: [{ start: null, speaker: null, parts: splitSnippet(row.snippet) }]
			}
		])
	);
}

/** Search what `viewer` may see; see the module comment for how it stays fast. `tuning.walk` (tests) sizes the walk. */
export async function searchArchive(db: Db, viewer: CallViewer, request: SearchRequest, tuning: { walk?: number } = {}): Promise<SearchResponse> {
	const { text, truncated } = searchText(request.q);
	if (!text) return { items: [], truncated, capped: false };
	const q = tsquery(text);
	const scope = request.channel === 'sms' ? null : await callScope(db, viewer);
	const callIds = request.channel === 'sms' ? [] : await callCandidateIds(db, q, request, scope, tuning.walk ?? WALK);
	if (callIds.length === 0 && request.channel !== undefined && request.channel !== 'sms') return { items: [], truncated, capped: false };
	const ranked = await rows<Ranked>(db, planRanking(q, request, callIds));
	const ids = (src: Ranked['src']) => ranked.filter((r) => r.src === src).map((r) => r.id);
	const [calls, texts] = await Promise.all([
		ids('call').length ? callHits(db, q, text, ids('call')) : new Map<string, Omit<SearchHit, 'rank'>>(),
		ids('sms').length ? smsHits(db, q, ids('sms')) : new Map<string, Omit<SearchHit, 'rank'>>()
	]);
	const items = ranked.flatMap((r) => {
		const hit = (r.src === 'call' ? calls : texts).get(r.id);
		return hit ? [{ ...hit, rank: r.rank }] : [];
	});
	return { items, truncated, capped: ranked.some((r) => r.n >= CANDIDATES) };
}
