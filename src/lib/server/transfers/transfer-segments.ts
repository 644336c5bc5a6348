/**
 * A transfer's part of the call's story (call_segments): each phase is what the caller is doing
 * and with whom, so every move closes the conversation's open segments and opens the new phase's:
 *   ringing        hold (first agent: the caller holds while the target rings)
 *   blind_ringing  hold (no agent: the first agent has gone)
 *   consulting     consult, one per agent (the caller holds while they talk)
 *   completed      talk (the target: an agent, or an outside number with no agent)
 *   joined         conference, one per agent (all three talk)
 *   returned       talk (the first agent again)
 *   requeued/ended nothing: the caller waits in a queue, or has gone.
 * So each party's segments follow one another without overlapping, and all are closed by the
 * time the call ends (the call's end closes whatever is still open: record-segment.ts).
 */
import { eq } from 'drizzle-orm';
import type { Doc } from '$convex/_generated/dataModel';
import type { Db } from '../db/client';
import type { SegmentKind } from '../db/schema/call-control';
import { callTransfers } from '../db/schema/transfers';
import { CONVERSATION_KINDS, closeSegments, lockCallStory, recordSegment } from '../call-control/record-segment';

type Row = Pick<Doc<'transfer_queue'>, 'transferId' | 'phase' | 'fromAgentId' | 'toAgentId' | 'toNumber' | 'toQueue' | 'targetKind'>;
interface Open {
	kind: SegmentKind;
	agentId: string | null;
	detail: Record<string, unknown>;
}

export function transferSegments(row: Row): Open[] {
	const transferId = row.transferId;
	const target = row.toAgentId ?? null;
	const targetDetail = row.toNumber ? { number: row.toNumber } : {};
	switch (row.phase) {
		case 'ringing':
			return [{ kind: 'hold', agentId: row.fromAgentId, detail: { transferId } }];
		case 'blind_ringing':
			return [{ kind: 'hold', agentId: null, detail: { transferId } }];
		case 'consulting':
			return [
				{ kind: 'consult', agentId: row.fromAgentId, detail: { transferId, with: target ?? row.toNumber ?? null } },
				{ kind: 'consult', agentId: target, detail: { transferId, with: row.fromAgentId, ...targetDetail } }
			];
		case 'completed':
			return [{ kind: 'talk', agentId: target, detail: { transferId, ...targetDetail } }];
		case 'joined':
			return [
				{ kind: 'conference', agentId: row.fromAgentId, detail: { transferId } },
				{ kind: 'conference', agentId: target, detail: { transferId, ...targetDetail } }
			];
		case 'returned':
			return [{ kind: 'talk', agentId: row.fromAgentId, detail: { transferId } }];
		default:
			return [];
	}
}

/** After a move (or the start): close what the caller was doing, open the new phase's segments. */
export async function recordTransferSegments(db: Db, row: Row, at: Date): Promise<void> {
	const [archived] = await db.select({ callId: callTransfers.callId }).from(callTransfers).where(eq(callTransfers.id, row.transferId));
	const callId = archived?.callId;
	if (!callId) return;
	await db.transaction(async (tx) => {
		await lockCallStory(tx, callId);
		for (const kind of CONVERSATION_KINDS) await closeSegments(tx, { callId, kind, endedAt: at });
		for (const open of transferSegments(row)) await recordSegment(tx, { callId, ...open, startedAt: at });
	});
}
