/**
 * call_transfers: the archive's half of a transfer, under the transfer_queue row's id. Opened
 * when the transfer starts, closed once by the move that closes the hot row (a replay or a
 * second close changes nothing: only a row still open is closed).
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Doc } from '$convex/_generated/dataModel';
import type { Db, Tx } from '../db/client';
import { calls } from '../db/schema/calls';
import { callTransfers } from '../db/schema/transfers';
import type { TransferOutcome } from '$lib/transfers/transfer-machine';

export async function openTransferArchive(tx: Db | Tx, row: Doc<'transfer_queue'>): Promise<void> {
	const sids = [row.callSid, ...(row.customerCallSid ? [row.customerCallSid] : [])];
	const [call] = await tx.select({ id: calls.id }).from(calls).where(inArray(calls.callSid, sids)).limit(1);
	await tx
		.insert(callTransfers)
		.values({
			id: row.transferId,
			callId: call?.id ?? null,
			callSid: row.callSid,
			kind: row.kind,
			targetKind: row.targetKind,
			fromAgentId: row.fromAgentId,
			toAgentId: row.toAgentId ?? null,
			toQueue: row.toQueue ?? null,
			toNumber: row.toNumber ?? null,
			note: row.note ?? null,
			startedAt: new Date(row.requestedAt)
		})
		.onConflictDoNothing();
}

export async function markTransferAnswered(db: Db | Tx, transferId: string, at: Date): Promise<void> {
	await db
		.update(callTransfers)
		.set({ answeredAt: at })
		.where(and(eq(callTransfers.id, transferId), isNull(callTransfers.answeredAt)));
}

export async function closeTransferArchive(db: Db | Tx, transferId: string, outcome: TransferOutcome, reason: string, at: Date): Promise<void> {
	await db
		.update(callTransfers)
		.set({ outcome, reason, endedAt: at })
		.where(and(eq(callTransfers.id, transferId), isNull(callTransfers.outcome)));
}
