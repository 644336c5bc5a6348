/**
 * The archive's side of a new inbound call in ONE statement (one round trip, atomic like the
 * transaction it replaces): the delivery ledger row, the caller's record (the best customer
 * holding the number, else a new `unknown-caller` lead with it), the call row and its
 * `received` event (plus `voicemail`/`closed` when the queue is shut). Every write after the
 * ledger's is conditional on the ledger insert, so a replayed delivery changes nothing.
 *
 * It was a transaction of seven to nine statements, each a round trip holding one of the pool's
 * connections; under a burst of 50 concurrent calls the pool queued and the webhook's p99 went
 * past two seconds (issue 17 item 5). Concurrent calls now share that statement, and their
 * routing decisions share another (groupedWriter): a burst costs a few commits, not one per call.
 * Same rules as recordUnknownCaller (crm/) and upsertCall (call-archive.ts): customers before
 * leads, then the most recently updated; the lead holds just the number (label `other`,
 * primary); the call's caller-owned fields overwrite a row an earlier status callback made.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { executePrepared } from '../db/prepared';
import { groupedWriter, type GroupedWriter } from '../db/grouped-writer';
import { callEvents, calls } from '../db/schema/calls';
import { customerPhones, customers } from '../db/schema/crm';
import { callLog, reportDayMarks, reportIntervals } from '../db/schema/reporting';
import { webhookDeliveries } from '../db/schema/webhooks';
import { displayName } from '../crm/display-name';
import { bucketOf } from '../reporting/interval-delta';
import type { CallerView } from './call-archive';

export interface IncomingCallRecord {
	dedupeKey: string;
	callSid: string;
	fromRaw: string;
	toRaw: string;
	fromE164: string | null;
	toE164: string | null;
	queue: string;
	callerName: string | null;
	now: Date;
	/** Set when the queue is closed: the extra event's kind, and whether the call goes to voicemail. */
	closed: { event: 'voicemail' | 'closed'; voicemail: boolean } | null;
}

/** `fresh` false: the delivery was seen before and nothing was written (the caller reads the call instead). */
export type IncomingCallRecorded = { fresh: false } | { fresh: true; caller: CallerView | null };

export interface IncomingInput {
	dedupeKey: string;
	callSid: string;
	fromRaw: string;
	toRaw: string;
	fromE164: string | null;
	toE164: string | null;
	queue: string;
	callerName: string | null;
	at: string;
	voicemailAt: string | null;
	closedEvent: string | null;
}

interface Row {
	dedupe_key: string;
	fresh: boolean;
	customer_id: string | null;
	first_name: string | null;
	last_name: string | null;
	company: string | null;
}

/**
 * Concurrent new calls share the statement (groupedWriter): one commit for all the calls that
 * arrived while the previous statements were out, instead of one each queueing for the pool.
 */
export function recordIncomingCall(db: Db, r: IncomingCallRecord): Promise<IncomingCallRecorded> {
	const at = r.now.toISOString();
	const input: IncomingInput = {
		dedupeKey: r.dedupeKey,
		callSid: r.callSid,
		fromRaw: r.fromRaw,
		toRaw: r.toRaw,
		fromE164: r.fromE164,
		toE164: r.toE164,
		queue: r.queue,
		callerName: r.callerName,
		at,
		voicemailAt: r.closed?.voicemail ? at : null,
		closedEvent: r.closed?.event ?? null
	};
	return groupedWriter(incomingWriters, db, writeIncomingCalls).write(r.callSid, input);
}

const incomingWriters = new WeakMap<Db, GroupedWriter<IncomingInput, IncomingCallRecorded>>();

/**
 * Several calls in one statement, each row as the single-call statement wrote it: the ledger
 * row first, and every later write only for a call whose ledger row is new. Callers from the
 * same unknown number in one statement share the one lead made for it. Each call appears once
 * per statement (groupedWriter), so the call row's upsert touches each row once.
 *
 * The caller's record is looked up once per number (a lateral lookup through the phone index,
 * then the customer's key): as a join, the planner took jsonb_to_recordset for 100 rows and
 * read every phone and every customer per statement, which it keeps doing as the archive grows
 * (the prepared statement's plan is made once), a scan per burst statement in any archive of a
 * few thousand customers.
 */
async function writeIncomingCalls(db: Db, rows: IncomingInput[]): Promise<IncomingCallRecorded[]> {
	const result = await executePrepared(db, incomingCallsStatement(rows));
	const found = new Map((result as unknown as Row[]).map((row) => [row.dedupe_key, row]));
	return rows.map((input): IncomingCallRecorded => {
		const row = found.get(input.dedupeKey);
		if (!row?.fresh) return { fresh: false };
		if (!row.customer_id) return { fresh: true, caller: null };
		const names = { firstName: row.first_name ?? '', lastName: row.last_name ?? '', company: row.company ?? '' };
		return { fresh: true, caller: { customerId: row.customer_id, name: displayName(names), company: names.company } };
	});
}

/** The statement writeIncomingCalls runs (exported for the query-plan test). */
export function incomingCallsStatement(rows: IncomingInput[]): SQL {
	return sql`
		with input as (
			select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
				as t("dedupeKey" text, "callSid" text, "fromRaw" text, "toRaw" text, "fromE164" text, "toE164" text,
					queue text, "callerName" text, at timestamptz, "voicemailAt" timestamptz, "closedEvent" text)
		),
		delivery as (
			insert into ${webhookDeliveries} (dedupe_key, kind) select "dedupeKey", 'voice.incoming' from input
			on conflict (dedupe_key) do nothing
			returning dedupe_key
		),
		fresh as (select input.* from input join delivery on delivery.dedupe_key = input."dedupeKey"),
		found as (
			select n.e164, best.id, best.first_name, best.last_name, best.company
			from (select distinct "fromE164" as e164 from input where "fromE164" is not null) n
			cross join lateral (
				select c.id, c.first_name, c.last_name, c.company
				from ${customerPhones} p join ${customers} c on c.id = p.customer_id
				where p.e164 = n.e164
				order by c.kind = 'customer' desc, c.updated_at desc, c.id
				limit 1
			) best
		),
		new_lead as (
			select gen_random_uuid() as id, n.e164
			from (select distinct "fromE164" as e164 from fresh where "fromE164" is not null) n
			where not exists (select 1 from found where found.e164 = n.e164)
		),
		lead as (
			insert into ${customers} (id, kind, status, source)
			select id, 'lead', 'new', 'unknown-caller' from new_lead
			returning id, first_name, last_name, company
		),
		lead_phone as (
			insert into ${customerPhones} (customer_id, e164, label, is_primary, position)
			select id, e164, 'other', true, 0 from new_lead
		),
		caller as (
			select e164, id, first_name, last_name, company from found
			union all
			select new_lead.e164, lead.id, lead.first_name, lead.last_name, lead.company from lead join new_lead on new_lead.id = lead.id
		),
		call_row as (
			insert into ${calls} (call_sid, direction, from_raw, to_raw, from_e164, to_e164, received_at, customer_id, queue, voicemail_at)
			select f."callSid", 'inbound', f."fromRaw", f."toRaw", f."fromE164", f."toE164", f.at,
				(select id from caller where caller.e164 = f."fromE164"), f.queue, f."voicemailAt"
			from fresh f
			on conflict (call_sid) do update set
				from_raw = excluded.from_raw, to_raw = excluded.to_raw, from_e164 = excluded.from_e164, to_e164 = excluded.to_e164,
				customer_id = excluded.customer_id, queue = excluded.queue,
				voicemail_at = coalesce(excluded.voicemail_at, ${calls}.voicemail_at), updated_at = ${new Date().toISOString()}::timestamptz
			returning id, call_sid
		),
		events as (
			insert into ${callEvents} (call_id, kind, at, payload)
			select call_row.id, 'received', f.at,
				jsonb_build_object('from', f."fromRaw", 'to', f."toRaw", 'queue', f.queue,
					'customerId', (select id from caller where caller.e164 = f."fromE164"), 'callerName', f."callerName")
			from call_row join fresh f on f."callSid" = call_row.call_sid
			union all
			select call_row.id, f."closedEvent", f.at, '{"reason":"closed"}'::jsonb
			from call_row join fresh f on f."callSid" = call_row.call_sid where f."closedEvent" is not null
		)
		select i."dedupeKey" as dedupe_key, f."dedupeKey" is not null as fresh, c.id as customer_id, c.first_name, c.last_name, c.company
		from input i left join fresh f on f."dedupeKey" = i."dedupeKey" left join caller c on f."dedupeKey" is not null and c.e164 = i."fromE164"
	`;
}

export interface RoutingDecisionInput {
	kind: string;
	agentId?: string;
	attempts?: number;
	position?: number;
	positionAtLeast?: boolean;
	queueName?: string;
}

/** The call's start in the reporting log, written with its routing: offered (open queue) or offered_closed. */
export interface CallStart {
	type: 'offered' | 'offered_closed';
	queue: string;
}

/** One call's writes in a grouped statement (writeRoutingRows); null parts are skipped. */
interface RoutingRow {
	callSid: string;
	at: string;
	/** The routing ledger key and call event (offered / queued decisions only). */
	routeKey: string | null;
	queued: boolean;
	routeKind: 'queued' | 'offered' | null;
	routePayload: Record<string, unknown> | null;
	/** The start event, and the 15-minute interval its count goes to (bucketOf(at)). */
	startType: CallStart['type'] | null;
	startQueue: string | null;
	bucket: string | null;
	/** The decision in the reporting log: queued or ringing. */
	logType: 'queued' | 'ringing' | null;
	logAgent: string;
	logKey: string;
	logPayload: Record<string, unknown>;
}

const routingWriters = new WeakMap<Db, GroupedWriter<RoutingRow, void>>();

/**
 * The offer or queue entry as a call event, once per decision (a retried webhook gets the same
 * decision back from hot state and writes nothing): the ledger row for
 * `voice.routing:<sid>:<offered:agent:attempt | queued>`, then `queued_at` (first value kept)
 * and the event, both only when the ledger row is new. Nothing for an unknown CallSid. The same
 * decision goes into the reporting event log (queued or ringing; the log keeps the first), and
 * with `start` the call's offered / offered_closed event and its interval count, as
 * recordCallEvent (reporting/record-call-event.ts) would write them.
 *
 * Decisions come out of the engine one at a time while earlier ones are being written, so the
 * writes are grouped: one goes at once, and those that arrive while MAX_IN_FLIGHT statements
 * are out go together in the next, one statement for all their archive and reporting rows (one
 * row per call in a statement, so a call's events keep their order). Each caller's promise
 * settles with its own statement's commit, so nothing is answered before it is written. The
 * reporting events used to take two transactions of their own per call (about fourteen round
 * trips, each holding the queue's interval row locked to commit): at 50 concurrent new calls
 * they were most of the webhook's time (issue 17 item 5).
 */
export function recordRoutingDecision(db: Db, callSid: string, decision: RoutingDecisionInput | null, now: Date, start?: CallStart): Promise<void> {
	const routed = decision?.kind === 'offered' || decision?.kind === 'queued' ? decision : null;
	if (!routed && !start) return Promise.resolve();
	const queued = routed?.kind === 'queued';
	const row: RoutingRow = {
		callSid,
		at: now.toISOString(),
		routeKey: routed ? `voice.routing:${callSid}:${queued ? 'queued' : `offered:${routed.agentId}:${routed.attempts}`}` : null,
		queued,
		routeKind: routed ? (queued ? 'queued' : 'offered') : null,
		routePayload: !routed
			? null
			: queued
				? { queue: routed.queueName, position: routed.position, ...(routed.positionAtLeast ? { positionAtLeast: true } : {}) }
				: { agentId: routed.agentId, attempt: routed.attempts },
		startType: start?.type ?? null,
		startQueue: start?.queue ?? null,
		bucket: start ? bucketOf(now).toISOString() : null,
		logType: routed ? (queued ? 'queued' : 'ringing') : null,
		logAgent: routed && !queued ? (routed.agentId ?? '') : '',
		logKey: routed && !queued ? `${routed.agentId}:${routed.attempts}` : '',
		logPayload: queued ? { position: routed?.position ?? null } : {}
	};
	return groupedWriter(routingWriters, db, writeRoutingRows).write(callSid, row);
}

/** PostgreSQL's deadlock_detected: two statements locked the same interval rows in another order. */
const isDeadlock = (error: unknown) => (error as { code?: string } | null)?.code === '40P01' || /deadlock detected/.test(String(error));

async function writeRoutingRows(db: Db, rows: RoutingRow[]): Promise<void[]> {
	try {
		await routingStatement(db, rows);
	} catch (error) {
		// Another path's transaction held an interval row this statement needed (or the reverse):
		// the statement was rolled back whole, so it is safe to run once more.
		if (!isDeadlock(error)) throw error;
		await routingStatement(db, rows);
	}
	return rows.map(() => undefined);
}

/**
 * Each call is found through its call_sid index (a lateral lookup per row): jsonb_to_recordset
 * gives the planner no row count, and as a join it chose to scan every call for each statement.
 * `queued_at` is then set by key (`id = any(array(...))`), through the primary key once the
 * archive holds a few thousand calls; a plan made while the calls table was still (nearly)
 * empty, in a new deployment's first statements, scans it until autovacuum's ANALYZE has the
 * statement planned again.
 */
async function routingStatement(db: Db, rows: RoutingRow[]): Promise<void> {
	const startTypes = sql.raw(`'offered', 'placed', 'offered_closed'`);
	await executePrepared(db, sql`
		with input as (
			select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
				as t("callSid" text, at timestamptz, "routeKey" text, queued boolean, "routeKind" text, "routePayload" jsonb,
					"startType" text, "startQueue" text, bucket timestamptz, "logType" text, "logAgent" text, "logKey" text, "logPayload" jsonb)
		),
		call_row as (
			select c.id, c.received_at, c.queue as call_queue, c.direction as call_direction, input.*
			from input
			join lateral (select id, received_at, queue, direction from ${calls} where call_sid = input."callSid" limit 1) c on true
		),
		delivery as (
			insert into ${webhookDeliveries} (dedupe_key, kind)
			select "routeKey", 'voice.routing' from call_row where "routeKey" is not null
			on conflict (dedupe_key) do nothing
			returning dedupe_key
		),
		fresh as (select call_row.* from call_row join delivery on delivery.dedupe_key = call_row."routeKey"),
		queued as (
			update ${calls} set queued_at = coalesce(${calls}.queued_at, fresh.at), updated_at = ${new Date().toISOString()}::timestamptz
			from fresh where ${calls}.id = any(array(select id from fresh where queued)) and ${calls}.id = fresh.id
		),
		routed as (
			insert into ${callEvents} (call_id, kind, at, payload)
			select id, "routeKind", at, "routePayload" from fresh
		),
		started as (
			insert into ${callLog} (call_id, type, direction, at, call_started_at, queue, agent_id, key, payload)
			select id, "startType", 'inbound', at, at, "startQueue", '', '', '{}'::jsonb from call_row where "startType" is not null
			on conflict do nothing
			returning call_id, type
		),
		counted as (
			select cr.bucket, cr."startQueue" as queue,
				(count(*) filter (where s.type = 'offered'))::int as offered,
				(count(*) filter (where s.type = 'offered_closed'))::int as offered_closed
			from started s join call_row cr on cr.id = s.call_id
			group by cr.bucket, cr."startQueue"
		),
		intervals as (
			insert into ${reportIntervals} (bucket, queue, agent_id, direction, offered, offered_closed)
			select bucket, queue, '', 'inbound', offered, offered_closed from counted order by bucket, queue
			on conflict (bucket, queue, agent_id, direction) do update set
				offered = ${reportIntervals}.offered + excluded.offered,
				offered_closed = ${reportIntervals}.offered_closed + excluded.offered_closed
		),
		forget as (
			delete from ${reportDayMarks} m using (select distinct bucket from counted) b
			where m.day >= (b.bucket - interval '1 day')::date and m.day < (b.bucket + interval '2 day')::date
				and m.day = (b.bucket at time zone m.zone)::date
		)
		insert into ${callLog} (call_id, type, direction, at, call_started_at, queue, agent_id, key, payload)
		select cr.id, cr."logType",
			coalesce(s.direction, case when cr."startType" is not null then 'inbound' end, cr.call_direction),
			cr.at,
			coalesce(s.at, case when cr."startType" is not null then cr.at end, cr.received_at),
			coalesce(s.queue, cr."startQueue", cr.call_queue, ''),
			cr."logAgent", cr."logKey", cr."logPayload"
		from call_row cr
		left join lateral (
			select l.at, l.queue, l.direction from ${callLog} l where l.call_id = cr.id and l.type in (${startTypes}) limit 1
		) s on true
		where cr."logType" is not null
		on conflict do nothing
	`);
}
