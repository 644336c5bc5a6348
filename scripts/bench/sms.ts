/**
 * SMS measurements for `npm run bench`:
 *
 *   seedSmsArchive         10,000 threads and 1,000,000 messages built with generate_series in
 *                          a few statements (customers for half the threads, read markers for most)
 *   benchInboxLoad         the inbox's first page (listInbox) and a thread opening (sms.open's
 *                          hydration into hot state + the first page of messages), beside the bare
 *                          indexed SELECTs underneath; EXPLAIN of each query to check the indexes
 *   benchInboxPropagation  over HTTP against the production build: N inbox streams
 *                          (/api/sms/inbox-events); a text from the customer phone API goes through
 *                          the local carrier's signed webhook; timed until every inbox has re-read
 *                          the thread and shows the new text
 */
import { sql } from 'drizzle-orm';
import { explain } from '../../src/lib/server/crm/test-query-plans';
import type { Db } from '../../src/lib/server/db/client';
import { selectRows } from '../../src/lib/server/db/rows';
import type { HotState } from '../../src/lib/server/live/hot';
import type { LiveEvent } from '../../src/lib/server/live/hub';
import { EventQueue } from '../../src/lib/server/live/test-sse-client';
import { listInbox, listThreadMessages, planInbox, ZInboxQuery } from '../../src/lib/server/sms/inbox';
import { hydrateThread } from '../../src/lib/server/sms/publish-hot';

export const OUR_BENCH_NUMBER = '+14155550100';

/**
 * Fill the archive: `threads` threads with `perThread` messages each, newest thread first by
 * last_message_at; half the threads belong to customers; the viewer has read 90% of them.
 * Idempotent per viewer for an empty archive; returns how long it took.
 */
export async function seedSmsArchive(
	db: Db,
	options: { threads?: number; perThread?: number; viewerId: string }
): Promise<{ threads: number; messages: number; ms: number }> {
	const threads = options.threads ?? 10_000;
	const perThread = options.perThread ?? 100;
	const started = performance.now();
	await db.execute(sql`
		insert into customers (first_name, last_name, company, source)
		select 'Bench', 'Customer ' || g, 'Bench Co ' || (g % 97), 'import'
		from generate_series(1, ${threads / 2}) g`);
	await db.execute(sql`
		insert into customer_phones (customer_id, e164, is_primary)
		select id, '+1555' || lpad((row_number() over (order by id))::text, 7, '0'), true
		from customers where first_name = 'Bench'`);
	await db.execute(sql`
		insert into sms_threads (customer_phone, our_phone, customer_id, last_message_at, last_message_preview, last_direction)
		select '+1555' || lpad(g::text, 7, '0'), ${OUR_BENCH_NUMBER},
			(select p.customer_id from customer_phones p where p.e164 = '+1555' || lpad(g::text, 7, '0')),
			now() - (g * interval '1 minute'), 'Message ' || g, 'inbound'
		from generate_series(1, ${threads}) g`);
	await db.execute(sql`
		insert into sms_messages (thread_id, direction, from_phone, to_phone, body, status, created_at, status_updated_at)
		select t.id,
			case when m % 2 = 0 then 'inbound' else 'outbound' end,
			case when m % 2 = 0 then t.customer_phone else t.our_phone end,
			case when m % 2 = 0 then t.our_phone else t.customer_phone end,
			'Bench message ' || m || ' in thread ' || t.n || ': where is my order, and when will it arrive?',
			case when m % 2 = 0 then 'received' else 'delivered' end,
			t.last_message_at - (m * interval '1 second'),
			t.last_message_at - (m * interval '1 second')
		from (select id, customer_phone, our_phone, last_message_at, row_number() over (order by last_message_at desc) as n from sms_threads) t
		cross join generate_series(0, ${perThread - 1}) m`);
	await db.execute(sql`
		insert into sms_read_markers (thread_id, user_id, last_read_at)
		select id, ${options.viewerId}, last_message_at - interval '30 seconds'
		from sms_threads where random() < 0.9`);
	await db.execute(sql`analyze`);
	return { threads, messages: threads * perThread, ms: performance.now() - started };
}

export interface InboxLoadResult {
	firstLoadMs: number[];
	bareInboxMs: number[];
	threadOpenMs: number[];
	bareThreadMs: number[];
	plans: Record<string, string>;
}

/** Time the inbox's first page and opening threads; `rounds` of each after a short warm-up. */
export async function benchInboxLoad(db: Db, hot: HotState, viewer: { id: string }, rounds = 200): Promise<InboxLoadResult> {
	const warmup = 10;
	const sample = await selectRows<{ id: string }>(db, sql`select id from sms_threads order by random() limit ${rounds + warmup}`);
	const out: InboxLoadResult = { firstLoadMs: [], bareInboxMs: [], threadOpenMs: [], bareThreadMs: [], plans: {} };
	const time = async (into: number[], i: number, run: () => Promise<unknown>) => {
		const t0 = performance.now();
		await run();
		if (i >= warmup) into.push(performance.now() - t0);
	};
	for (let i = 0; i < rounds + warmup; i++) {
		const threadId = sample[i % sample.length]?.id ?? '';
		await time(out.firstLoadMs, i, () => listInbox(db, viewer, { filter: 'all' }));
		await time(out.bareInboxMs, i, () => db.execute(sql`select * from sms_threads order by last_message_at desc, id desc limit 51`));
		await time(out.threadOpenMs, i, () => Promise.all([hydrateThread(db, hot, threadId), listThreadMessages(db, { threadId, limit: 30 })]));
		await time(out.bareThreadMs, i, () =>
			db.execute(sql`select * from sms_messages where thread_id = ${threadId} order by created_at desc, id desc limit 31`)
		);
	}
	const threadId = sample[0]?.id ?? '';
	for (const filter of ['all', 'mine', 'unassigned'] as const) {
		const plan = planInbox(db, viewer, ZInboxQuery.parse({ filter }));
		if (plan) out.plans[`inbox (${filter})`] = await explain(db, plan);
	}
	out.plans['thread page'] = await explain(
		db,
		sql`select * from sms_messages where thread_id = ${threadId} order by created_at desc, id desc limit 31`
	);
	return out;
}

/** True when a plan reads `table` only through an index (no sequential scan of it). */
export function usesIndexFor(plan: string, table: string): boolean {
	return !new RegExp(`Seq Scan on ${table}\\b`).test(plan);
}

export interface InboxPropagationOptions {
	baseUrl: string;
	/** Cookie headers of signed-in staff; streams take them in turn. */
	cookies: string[];
	clients?: number;
	rounds?: number;
	warmup?: number;
}

export interface InboxPropagationResult {
	/** Per inbox and round: text sent -> the inbox's re-read holds it. */
	latenciesMs: number[];
	/** Per inbox and round, the same order: the part of that spent in its re-reads (tRPC sms.inbox). */
	rereadMs: number[];
	postMs: number[];
}

type Notice = { kind?: string; threadId?: string };
// The inbox stream is not the live hub's, but EventQueue only needs a JSON `data:` stream.
const isReady = (e: LiveEvent | { type: 'comment' }): e is LiveEvent => (e as Notice).kind === 'ready';
const isNotice = (e: LiveEvent | { type: 'comment' }): e is LiveEvent => typeof (e as Notice).threadId === 'string';

/**
 * A text from the customer phone API (local carrier -> signed POST /webhooks/twilio/sms) to the
 * moment each of `clients` inboxes has re-read the thread through tRPC, as the browser does, and
 * holds the new text. Baseline: the phone API's own round trip (the carrier accepted the text).
 */
export async function benchInboxPropagation(options: InboxPropagationOptions): Promise<InboxPropagationResult> {
	const clients = options.clients ?? 50;
	const rounds = options.rounds ?? 20;
	const warmup = options.warmup ?? 2;
	const base = options.baseUrl.replace(/\/+$/, '');
	const abort = new AbortController();
	const from = `+1312555${String(1000 + Math.floor(Math.random() * 8999))}`;
	const streams = await Promise.all(
		Array.from({ length: clients }, async (_, i) => {
			const cookie = options.cookies[i % options.cookies.length] ?? '';
			const res = await fetch(`${base}/api/sms/inbox-events`, { headers: { cookie }, signal: abort.signal });
			if (!res.ok || !res.body) throw new Error(`GET /api/sms/inbox-events answered ${res.status}`);
			const events = new EventQueue(res.body);
			await events.next(isReady, 10_000);
			return { events, cookie };
		})
	);
	const reread = async (cookie: string, threadId: string) => {
		const input = encodeURIComponent(JSON.stringify({ filter: 'all', search: '', ids: [threadId], limit: 1 }));
		const res = await fetch(`${base}/api/trpc/sms.inbox?input=${input}`, { headers: { cookie } });
		const body = (await res.json()) as { result?: { data?: { items?: { lastMessagePreview: string }[] } } };
		return body.result?.data?.items?.[0]?.lastMessagePreview ?? null;
	};
	const latencies: number[] = [];
	const rereadMs: number[] = [];
	const postMs: number[] = [];
	try {
		for (let round = 0; round < warmup + rounds; round++) {
			const text = `Bench text ${round} ${Math.random().toString(36).slice(2, 8)}`;
			const started = performance.now();
			const seen = streams.map(async ({ events, cookie }) => {
				let rereading = 0;
				for (;;) {
					const notice = (await events.next(isNotice, 15_000)) as unknown as Notice;
					const t0 = performance.now();
					const preview = await reread(cookie, notice.threadId ?? '');
					rereading += performance.now() - t0;
					if (preview === text) return { ms: performance.now() - started, rereadMs: rereading };
				}
			});
			// The customer phone is for signed-in staff: the first stream's session sends the text.
			const res = await fetch(`${base}/phone/api/text`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin: base, cookie: options.cookies[0] ?? '' },
				body: JSON.stringify({ from, to: OUR_BENCH_NUMBER, body: text })
			});
			if (res.status !== 202) throw new Error(`POST /phone/api/text answered ${res.status}: ${await res.text()}`);
			const posted = performance.now() - started;
			const arrived = await Promise.all(seen);
			if (round >= warmup) {
				postMs.push(posted);
				latencies.push(...arrived.map((a) => a.ms));
				rereadMs.push(...arrived.map((a) => a.rereadMs));
			}
		}
	} finally {
		abort.abort();
	}
	return { latenciesMs: latencies, rereadMs, postMs };
}
