/**
 * A call center's archive for the incoming-call burst: customers with their numbers and a
 * history of past inbound calls, each with its delivery-ledger row, `received` event and offered
 * entry in the reporting log, vacuumed and analyzed, before the burst.
 *
 * The bench also runs the burst on a new, empty archive (a deployment's first minutes), which
 * measures something else: PostgreSQL makes a prepared statement's plan once (after its fifth
 * run) and keeps it until the tables' statistics change, so there the webhook's statements keep
 * plans made for empty tables while the burst grows them by thousands of rows, until
 * autovacuum's ANALYZE (within about a minute) has them planned again.
 */
import { count as countRows, sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client';
import { calls } from '../../src/lib/server/db/schema/calls';
import { customers } from '../../src/lib/server/db/schema/crm';

export interface ArchiveHistory {
	customers: number;
	calls: number;
}

/** Adds customers and past calls until the archive holds `want` of each; returns what it holds. */
export async function seedArchiveHistory(db: Db, want: ArchiveHistory, queue: string, number: string): Promise<ArchiveHistory> {
	const count = async (table: typeof customers | typeof calls) => (await db.select({ n: countRows() }).from(table))[0]?.n ?? 0;
	const haveCustomers = await count(customers);
	if (haveCustomers < want.customers) {
		// Built in the database, not in this process: the load generator that follows shares the
		// process, and a heap grown by 100,000 generated rows would slow it (and its baseline).
		await db.execute(sql`
			with made as (
				insert into customers (kind, first_name, last_name, company, email, updated_at)
				select 'customer', 'Customer', 'History ' || g, 'Company ' || (g % 5000), 'history' || g || '@example.com', now() - g * interval '1 minute'
				from generate_series(${haveCustomers + 1}::int, ${want.customers}::int) g
				returning id, last_name
			)
			insert into customer_phones (customer_id, e164, label, is_primary, position)
			select id, '+1212' || lpad(substr(last_name, 9), 7, '0'), 'mobile', true, 0 from made
		`);
	}
	const haveCalls = await count(calls);
	if (haveCalls < want.calls) {
		// One call every 30 seconds back from now, from the customers' own numbers in turn.
		await db.execute(sql`
			with phone as (select customer_id, e164, row_number() over (order by e164) as n from customer_phones),
			total as (select count(*) as n from phone),
			past as (
				insert into calls (call_sid, direction, from_raw, to_raw, from_e164, to_e164, received_at, queued_at, answered_at, ended_at,
					customer_id, queue, status, status_rank, outcome, wait_seconds, talk_seconds)
				select 'CAhistory' || lpad(g::text, 24, '0'), 'inbound', p.e164, ${number}::text, p.e164, ${number}::text,
					now() - g * interval '30 seconds', now() - g * interval '30 seconds',
					now() - g * interval '30 seconds' + interval '20 seconds', now() - g * interval '30 seconds' + interval '200 seconds',
					p.customer_id, ${queue}::text, 'completed', 9, 'answered', 20, 180
				from generate_series(${haveCalls + 1}::int, ${want.calls}::int) g, total
				join phone p on true
				where p.n = 1 + g % total.n
				returning id, call_sid, from_raw, to_raw, received_at, customer_id
			),
			ledger as (insert into webhook_deliveries (dedupe_key, kind, received_at) select 'voice.incoming:' || call_sid, 'voice.incoming', received_at from past),
			events as (
				insert into call_events (call_id, kind, at, payload)
				select id, 'received', received_at, jsonb_build_object('from', from_raw, 'to', to_raw, 'queue', ${queue}::text, 'customerId', customer_id) from past
			)
			insert into call_log (call_id, type, direction, at, call_started_at, queue)
			select id, 'offered', 'inbound', received_at, received_at, ${queue}::text from past
		`);
	}
	// As a running archive would be: statistics current, the bulk insert's pages vacuumed and
	// written out, so neither autovacuum nor a checkpoint falls into the burst.
	await db.execute(sql`vacuum analyze`);
	await db.execute(sql`checkpoint`);
	return { customers: await count(customers), calls: await count(calls) };
}
