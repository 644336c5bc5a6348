/**
 * Every move after the start: the agents' buttons (accept, decline, cancel, complete, join all)
 * and the carrier's events (the target's leg joined or left, a hang-up, the offer timing out).
 * Hot state decides in one mutation (the machine's table); the archive row is closed by the
 * same answer; then the effects run on the carrier and both screens are told.
 */
import { api } from '$convex/_generated/api';
import type { Doc } from '$convex/_generated/dataModel';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY } from '../live/hot';
import { logger } from '../log';
import { carryOut } from './transfer-carrier';
import { archiveHandoff, closeTransferArchive, handoffWrapupSeconds, markTransferAnswered } from './transfer-archive';
import { recordTransferSegments } from './transfer-segments';
import { effectsContext, type TransferDeps } from './transfer-deps';
import { firstAgentLeaves, type TransferEffect, type TransferEventType } from '$lib/transfers/transfer-machine';
import { handoffCallSid } from '$lib/transfers/handoff';
import { notifyTransfer } from './transfer-notices';

const log = logger('transfers');

export type MoveEvent = Exclude<TransferEventType, 'start'>;

const REASONS: Record<MoveEvent, string> = {
	'target-ringing': 'target ringing',
	'target-answered': 'target answered',
	'target-declined': 'target declined',
	'target-timeout': 'nobody answered in time',
	complete: 'first agent completed',
	cancel: 'first agent cancelled',
	'join-all': 'first agent joined all three',
	'first-agent-hangup': 'first agent hung up',
	'target-hangup': 'target hung up',
	'customer-hangup': 'caller hung up'
};

const KIND_OF: Record<string, AppError['kind']> = { NOT_YOURS: 'FORBIDDEN', UNKNOWN_TRANSFER: 'NOT_FOUND' };

/** Archive, carrier and screens after hot state moved a transfer. */
export async function afterMove(
	deps: TransferDeps,
	row: Doc<'transfer_queue'>,
	effects: readonly TransferEffect[],
	reason: string,
	event: TransferEventType
): Promise<Doc<'transfer_queue'>> {
	const now = new Date();
	if (effects.some((e) => e.type === 'mark-accepted')) await markTransferAnswered(deps.db, row.transferId, now);
	const close = effects.find((e) => e.type === 'close');
	if (close) await closeTransferArchive(deps.db, row.transferId, close.outcome, reason, now);
	await recordTransferSegments(deps.db, row, now);
	if (firstAgentLeaves(event, row.phase, effects)) await handOff(deps, row, now);
	try {
		await carryOut(await effectsContext(deps, row), row, effects);
	} catch (error) {
		// The decision stands (both stores agree on it); a leg the carrier could not move is logged.
		log.error('transfer effects failed', { transferId: row.transferId, effects: effects.map((e) => e.type), error: String(error) });
	}
	await notifyTransfer(deps.broadcast, row);
	return row;
}

/**
 * The first agent is off the call and in wrap-up (hot state did that in the same move): the
 * archive keeps the hand-off, and their wrap-up ends by itself after the queue's wrap-up time
 * like any call's (the end-wrapup job, on their hand-off CallSid).
 */
export async function handOff(deps: TransferDeps, row: Doc<'transfer_queue'>, at: Date): Promise<void> {
	await archiveHandoff(deps.db, row.transferId, at);
	if (!deps.jobs) return;
	const seconds = await handoffWrapupSeconds(deps.db, { transferId: row.transferId });
	await deps.jobs.enqueue(deps.db, 'end-wrapup', { callSid: handoffCallSid(row.transferId) }, { startAfter: new Date(at.getTime() + seconds * 1000) });
}

/**
 * Move a transfer. With `actorId` (an agent's button) a refusal is an error the agent reads;
 * without (a webhook, the sweep) a refused event is stale and answers null.
 */
export async function moveTransfer(
	deps: TransferDeps,
	input: { transferId: string; event: MoveEvent; actorId?: string; reason?: string }
): Promise<Doc<'transfer_queue'> | null> {
	const wrapupSeconds = await handoffWrapupSeconds(deps.db, { transferId: input.transferId });
	const moved = await deps.hot.mutation(
		api.transfers.advance,
		{ transferId: input.transferId, event: input.event, wrapupSeconds, ...(input.actorId ? { actorId: input.actorId } : {}) },
		SYSTEM_IDENTITY
	);
	if (!moved.ok) {
		if (!input.actorId) return null;
		throw new AppError(KIND_OF[moved.code] ?? 'CONFLICT', moved.code, moved.message);
	}
	return afterMove(deps, moved.row, moved.effects, input.reason ?? REASONS[input.event], input.event);
}

/** The sweep: offers past their time out, in hot state first, then as any other move. */
export async function expireTransferOffers(deps: TransferDeps): Promise<number> {
	const moves = await deps.hot.mutation(api.transfers.expireOffers, {}, SYSTEM_IDENTITY);
	for (const m of moves) await afterMove(deps, m.row, m.effects, REASONS['target-timeout'], 'target-timeout');
	return moves.length;
}
