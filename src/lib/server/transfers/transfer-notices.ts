/**
 * "A transfer changed" on the Broadcast port, on each involved agent's own channel, so the
 * target's browser rings the offer at once (Ably in production). Notices carry the offer's
 * details for the screen; hot state (transfers.mine) stays the truth a reload reads.
 */
import type { Doc } from '$convex/_generated/dataModel';
import type { BroadcastPort } from '../adapters/broadcast/port';
import { logger } from '../log';

const log = logger('transfers');

export const transferChannel = (userId: string) => `transfers:${userId}`;
export const TRANSFER_EVENT = 'transfer.changed';

export interface TransferNotice {
	transferId: string;
	callSid: string;
	phase: string;
	outcome: string | null;
	kind: string;
	fromAgentName: string;
	toAgentName: string | null;
	callerNumber: string;
	customerName: string | null;
	note: string | null;
	expiresAt: number;
}

export function noticeOf(row: Doc<'transfer_queue'>): TransferNotice {
	return {
		transferId: row.transferId,
		callSid: row.callSid,
		phase: row.phase,
		outcome: row.outcome ?? null,
		kind: row.kind,
		fromAgentName: row.fromAgentName,
		toAgentName: row.toAgentName ?? null,
		callerNumber: row.callerNumber,
		customerName: row.customerName ?? null,
		note: row.note ?? null,
		expiresAt: row.expiresAt
	};
}

/** Tell both agents; a lost notice costs only a stale screen until the live query catches up. */
export async function notifyTransfer(broadcast: BroadcastPort, row: Doc<'transfer_queue'>): Promise<void> {
	const notice = noticeOf(row);
	const to = [row.fromAgentId, ...(row.toAgentId ? [row.toAgentId] : [])];
	await Promise.all(
		to.map((userId) =>
			broadcast.publish(transferChannel(userId), TRANSFER_EVENT, notice).catch((error: unknown) => {
				log.warn('transfer notice not published', { transferId: row.transferId, error: String(error) });
			})
		)
	);
}

export async function watchTransfers(broadcast: BroadcastPort, userId: string, onNotice: (notice: TransferNotice) => void): Promise<() => void> {
	return broadcast.subscribe(transferChannel(userId), (message) => {
		if (message.name === TRANSFER_EVENT) onNotice(message.data as TransferNotice);
	});
}
