/** Small archive helpers the voice use-cases share: the call row by CallSid, its events, its caller. */
import { and, desc, eq, sql, type AnyColumn } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { user } from '../db/schema/auth';
import { customers } from '../db/schema/crm';
import { callEvents, calls } from '../db/schema/calls';
import { displayName } from '../crm/customer-view';

export type CallRow = typeof calls.$inferSelect;
export type NewCall = typeof calls.$inferInsert;

/** The call row, created with `values` when missing (a status callback may come before the incoming webhook). */
export async function ensureCall(tx: Db | Tx, values: NewCall): Promise<CallRow> {
	await tx.insert(calls).values(values).onConflictDoNothing({ target: calls.callSid });
	const [row] = await tx.select().from(calls).where(eq(calls.callSid, values.callSid)).for('update');
	if (!row) throw new Error(`call ${values.callSid} vanished after upsert`);
	return row;
}

/**
 * The call row in one statement: inserted with `values`, or, when an earlier callback already
 * made it, with `set` written over it (the fields the caller owns; the rest keep their values).
 */
export async function upsertCall(tx: Db | Tx, values: NewCall, set: Partial<Omit<NewCall, 'callSid'>>): Promise<CallRow> {
	const [row] = await tx.insert(calls).values({ ...values, ...set }).onConflictDoUpdate({ target: calls.callSid, set }).returning();
	if (!row) throw new Error(`call ${values.callSid} was not written`);
	return row;
}

export async function addCallEvent(
	tx: Db | Tx,
	event: { callId: string; kind: string; at?: Date; sequenceNumber?: number; payload?: Record<string, unknown> }
): Promise<void> {
	await tx.insert(callEvents).values({
		callId: event.callId,
		kind: event.kind,
		at: event.at ?? new Date(),
		sequenceNumber: event.sequenceNumber ?? null,
		payload: event.payload ?? {}
	});
}

/** `agentId` when it names a staff user, else null: hot-state ids never break the archive's foreign key. */
export function staffIdOrNull(agentId: string | null) {
	return agentId === null ? null : sql<string | null>`(select ${user.id} from ${user} where ${user.id} = ${agentId})`;
}

export interface CallerView {
	customerId: string;
	name: string;
	company: string;
}

/** The call and its customer's name for the screen pop, or null for an unknown CallSid. */
export async function loadCall(db: Db | Tx, callSid: string): Promise<{ call: CallRow; caller: CallerView | null } | null> {
	const [row] = await db
		.select({ call: calls, customer: customers })
		.from(calls)
		.leftJoin(customers, eq(customers.id, calls.customerId))
		.where(eq(calls.callSid, callSid));
	if (!row) return null;
	const caller = row.customer ? { customerId: row.customer.id, name: displayName(row.customer), company: row.customer.company } : null;
	return { call: row.call, caller };
}

/** `coalesce(column, at)`: a timestamp that keeps its first value (the cast lets postgres-js send the parameter). */
export function keepFirst(column: AnyColumn, at: Date) {
	return sql<Date>`coalesce(${column}, ${at.toISOString()}::timestamptz)`;
}

/** The agent the call was last offered to (its latest `offered` event), or null. */
export async function lastOfferedAgent(tx: Db | Tx, callId: string): Promise<string | null> {
	const [row] = await tx
		.select({ payload: callEvents.payload })
		.from(callEvents)
		.where(and(eq(callEvents.callId, callId), eq(callEvents.kind, 'offered')))
		.orderBy(desc(callEvents.createdAt))
		.limit(1);
	const agentId = row?.payload.agentId;
	return typeof agentId === 'string' ? agentId : null;
}
