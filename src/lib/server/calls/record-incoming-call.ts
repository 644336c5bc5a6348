/**
 * The archive's side of a new inbound call in ONE statement (one round trip, atomic like the
 * transaction it replaces): the delivery ledger row, the caller's record (the best customer
 * holding the number, else a new `unknown-caller` lead with it), the call row and its
 * `received` event (plus `voicemail`/`closed` when the queue is shut). Every write after the
 * ledger's is conditional on the ledger insert, so a replayed delivery changes nothing.
 *
 * It was a transaction of seven to nine statements, each a round trip holding one of the pool's
 * connections; under a burst of 50 concurrent calls the pool queued and the webhook's p99 went
 * past two seconds (issue 17 item 5). Same rules as recordUnknownCaller (crm/) and upsertCall
 * (call-archive.ts): customers before leads, then the most recently updated; the lead holds just
 * the number (label `other`, primary); the call's caller-owned fields overwrite a row an earlier
 * status callback made.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { callEvents, calls } from '../db/schema/calls';
import { customerPhones, customers } from '../db/schema/crm';
import { webhookDeliveries } from '../db/schema/webhooks';
import { displayName } from '../crm/display-name';
import { logInboundBySid } from './log-inbound-events';
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

interface Row {
	fresh: boolean;
	customer_id: string | null;
	first_name: string | null;
	last_name: string | null;
	company: string | null;
}

export async function recordIncomingCall(db: Db, r: IncomingCallRecord): Promise<IncomingCallRecorded> {
	const at = r.now.toISOString();
	const voicemailAt = r.closed?.voicemail ? at : null;
	const result: unknown = await db.execute(sql`
		with delivery as (
			insert into ${webhookDeliveries} (dedupe_key, kind) values (${r.dedupeKey}, 'voice.incoming')
			on conflict (dedupe_key) do nothing
			returning id
		),
		found as (
			select c.id, c.first_name, c.last_name, c.company
			from ${customerPhones} p join ${customers} c on c.id = p.customer_id
			where ${r.fromE164}::text is not null and p.e164 = ${r.fromE164}::text
			order by c.kind = 'customer' desc, c.updated_at desc, c.id
			limit 1
		),
		lead as (
			insert into ${customers} (kind, status, source)
			select 'lead', 'new', 'unknown-caller'
			where ${r.fromE164}::text is not null and exists (select 1 from delivery) and not exists (select 1 from found)
			returning id, first_name, last_name, company
		),
		lead_phone as (
			insert into ${customerPhones} (customer_id, e164, label, is_primary, position)
			select id, ${r.fromE164}::text, 'other', true, 0 from lead
		),
		caller as (select * from found union all select * from lead),
		call_row as (
			insert into ${calls} (call_sid, direction, from_raw, to_raw, from_e164, to_e164, received_at, customer_id, queue, voicemail_at)
			select ${r.callSid}::text, 'inbound', ${r.fromRaw}::text, ${r.toRaw}::text, ${r.fromE164}::text, ${r.toE164}::text,
				${at}::timestamptz, (select id from caller), ${r.queue}::text, ${voicemailAt}::timestamptz
			where exists (select 1 from delivery)
			on conflict (call_sid) do update set
				from_raw = excluded.from_raw, to_raw = excluded.to_raw, from_e164 = excluded.from_e164, to_e164 = excluded.to_e164,
				customer_id = excluded.customer_id, queue = excluded.queue,
				voicemail_at = coalesce(excluded.voicemail_at, ${calls}.voicemail_at), updated_at = ${new Date().toISOString()}::timestamptz
			returning id
		),
		events as (
			insert into ${callEvents} (call_id, kind, at, payload)
			select call_row.id, 'received', ${at}::timestamptz,
				jsonb_build_object('from', ${r.fromRaw}::text, 'to', ${r.toRaw}::text, 'queue', ${r.queue}::text,
					'customerId', (select id from caller), 'callerName', ${r.callerName}::text)
			from call_row
			union all
			select call_row.id, ${r.closed?.event ?? 'closed'}::text, ${at}::timestamptz, '{"reason":"closed"}'::jsonb
			from call_row where ${r.closed !== null}::boolean
		)
		select exists (select 1 from delivery) as fresh, caller.id as customer_id, caller.first_name, caller.last_name, caller.company
		from (select 1) one left join caller on true
	`);
	const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Row[];
	const row = rows[0];
	if (!row?.fresh) return { fresh: false };
	if (!row.customer_id) return { fresh: true, caller: null };
	const names = { firstName: row.first_name ?? '', lastName: row.last_name ?? '', company: row.company ?? '' };
	return { fresh: true, caller: { customerId: row.customer_id, name: displayName(names), company: names.company } };
}

export interface RoutingDecisionInput {
	kind: string;
	agentId?: string;
	attempts?: number;
	position?: number;
	positionAtLeast?: boolean;
	queueName?: string;
}

interface RoutingRow {
	callSid: string;
	key: string;
	queued: boolean;
	kind: 'queued' | 'offered';
	at: string;
	payload: Record<string, unknown>;
}

interface Waiting {
	row: RoutingRow;
	resolve(): void;
	reject(error: unknown): void;
}

interface Writer {
	inFlight: number;
	waiting: Waiting[];
}

/** Rows per statement at most, and statements in flight at once per archive handle. */
const MAX_BATCH = 100;
const MAX_IN_FLIGHT = 2;
const writers = new WeakMap<Db, Writer>();

/**
 * The offer or queue entry as a call event, once per decision (a retried webhook gets the same
 * decision back from hot state and writes nothing): the ledger row for
 * `voice.routing:<sid>:<offered:agent:attempt | queued>`, then `queued_at` (first value kept)
 * and the event, both only when the ledger row is new. Nothing for an unknown CallSid.
 *
 * Decisions come out of the engine one at a time while earlier ones are being written, so the
 * writes are grouped: one goes at once, and those that arrive while MAX_IN_FLIGHT statements
 * are out go together in the next (one row per call in a statement, so a call's events keep
 * their order). Each caller's promise settles with its own statement.
 */
export function recordRoutingDecision(db: Db, callSid: string, decision: RoutingDecisionInput, now: Date): Promise<void> {
	if (decision.kind !== 'offered' && decision.kind !== 'queued') return Promise.resolve();
	const queued = decision.kind === 'queued';
	const row: RoutingRow = {
		callSid,
		key: `voice.routing:${callSid}:${queued ? 'queued' : `offered:${decision.agentId}:${decision.attempts}`}`,
		queued,
		kind: decision.kind,
		at: now.toISOString(),
		payload: queued
			? { queue: decision.queueName, position: decision.position, ...(decision.positionAtLeast ? { positionAtLeast: true } : {}) }
			: { agentId: decision.agentId, attempt: decision.attempts }
	};
	let writer = writers.get(db);
	if (!writer) writers.set(db, (writer = { inFlight: 0, waiting: [] }));
	const w = writer;
	const written = new Promise<void>((resolve, reject) => {
		w.waiting.push({ row, resolve, reject });
		if (w.inFlight < MAX_IN_FLIGHT) void drain(db, w);
	});
	// The same decision in the reporting event log (once per decision: the log keeps the first).
	return written.then(() =>
		logInboundBySid(
			db,
			callSid,
			queued
				? { type: 'queued', at: now, payload: { position: decision.position ?? null } }
				: { type: 'ringing', at: now, agentId: decision.agentId ?? null, key: `${decision.agentId}:${decision.attempts}` }
		)
	);
}

/** Write what waits, a statement at a time, until nothing does. */
async function drain(db: Db, w: Writer) {
	w.inFlight++;
	try {
		while (w.waiting.length > 0) {
			const batch: Waiting[] = [];
			const sids = new Set<string>();
			const later: Waiting[] = [];
			for (const item of w.waiting.splice(0)) {
				if (batch.length < MAX_BATCH && !sids.has(item.row.callSid)) {
					sids.add(item.row.callSid);
					batch.push(item);
				} else later.push(item);
			}
			w.waiting.unshift(...later);
			try {
				await writeRoutingRows(db, batch.map((b) => b.row));
				for (const b of batch) b.resolve();
			} catch (error) {
				for (const b of batch) b.reject(error);
			}
		}
	} finally {
		w.inFlight--;
	}
}

async function writeRoutingRows(db: Db, rows: RoutingRow[]): Promise<void> {
	await db.execute(sql`
		with input as (
			select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
				as t("callSid" text, key text, queued boolean, kind text, at timestamptz, payload jsonb)
		),
		call_row as (select c.id, input.* from input join ${calls} c on c.call_sid = input."callSid"),
		delivery as (
			insert into ${webhookDeliveries} (dedupe_key, kind)
			select key, 'voice.routing' from call_row
			on conflict (dedupe_key) do nothing
			returning dedupe_key
		),
		fresh as (select call_row.* from call_row join delivery on delivery.dedupe_key = call_row.key),
		queued as (
			update ${calls} set queued_at = coalesce(${calls}.queued_at, fresh.at), updated_at = ${new Date().toISOString()}::timestamptz
			from fresh where ${calls}.id = fresh.id and fresh.queued
		)
		insert into ${callEvents} (call_id, kind, at, payload)
		select id, kind, at, payload from fresh
	`);
}
