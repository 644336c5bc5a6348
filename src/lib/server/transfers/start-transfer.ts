/**
 * The first agent presses Transfer. Checks that need the archive come first (the target exists,
 * the queue is known, an outside number passes the outbound gate: DNC ledger, calling window);
 * then hot state decides in one mutation (the call is live and the caller's, no other transfer
 * under way, the target agent available: it rings); then the archive row; then the carrier
 * (hold, ring the target, or the queue) and the notice to the target's browser. A refusal at any
 * step before the carrier writes nothing but the gate's own audit of a refused number; a carrier
 * failure closes the transfer the way a decline would, so the caller is never lost.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { api } from '$convex/_generated/api';
import type { Doc } from '$convex/_generated/dataModel';
import { legsOf } from '../call-control/conference';
import { user } from '../db/schema/auth';
import { AppError } from '../errors';
import { SYSTEM_IDENTITY } from '../live/hot';
import { outboundClock } from '../outbound/clock';
import { gateAttempt } from '../outbound/gate';
import { afterMove, handOff } from './move-transfer';
import { carryOut } from './transfer-carrier';
import { closeTransferArchive, handoffWrapupSeconds, openTransferArchive } from './transfer-archive';
import { recordTransferSegments } from './transfer-segments';
import { effectsContext, OFFER_SECONDS, queueByName, type TransferDeps } from './transfer-deps';
import { firstAgentLeaves, type TransferKind } from '$lib/transfers/transfer-machine';
import { notifyTransfer } from './transfer-notices';

export type TransferTarget = { agentId: string } | { queue: string } | { number: string };

export interface StartTransferInput {
	callSid: string;
	kind: TransferKind;
	target: TransferTarget;
	note?: string;
}

const KIND_OF: Record<string, AppError['kind']> = {
	CALL_ENDED: 'CONFLICT',
	NOT_YOUR_CALL: 'FORBIDDEN',
	TRANSFER_IN_PROGRESS: 'CONFLICT',
	TARGET_UNAVAILABLE: 'CONFLICT',
	TRANSFER_TO_SELF: 'BAD_REQUEST'
};

async function checkTarget(deps: TransferDeps, actorId: string, target: TransferTarget): Promise<{ toNumber?: string }> {
	if ('agentId' in target) {
		if (target.agentId === actorId) throw new AppError('BAD_REQUEST', 'TRANSFER_TO_SELF', 'You cannot transfer a call to yourself.');
		const [found] = await deps.db.select({ id: user.id }).from(user).where(eq(user.id, target.agentId)).limit(1);
		if (!found) throw new AppError('NOT_FOUND', 'UNKNOWN_AGENT', 'There is no such agent.');
		return {};
	}
	if ('queue' in target) {
		if (!(await queueByName(deps.db, target.queue))) throw new AppError('NOT_FOUND', 'UNKNOWN_QUEUE', `There is no queue named "${target.queue}".`);
		return {};
	}
	// An outside number passes the same gate as any dial; a refusal is kept in its audit trail.
	const now = outboundClock(deps.config)();
	const gate = await deps.db.transaction((tx) =>
		gateAttempt(tx, { actor: { id: actorId }, to: target.number, channel: 'voice', source: 'manual', now, rules: deps.config.outbound.rules, record: 'refusals' })
	);
	if (!gate.ok) throw new AppError('BAD_REQUEST', gate.rule, gate.message, { rule: gate.rule, opensAt: gate.opensAt?.toISOString() ?? null });
	return { toNumber: gate.e164 };
}

export async function startTransfer(deps: TransferDeps, actor: { id: string; name: string }, input: StartTransferInput): Promise<Doc<'transfer_queue'>> {
	const call = await deps.hot.query(api.transfers.callFor, { callSid: input.callSid }, SYSTEM_IDENTITY);
	if (!call || call.state === 'wrapup') throw new AppError('CONFLICT', 'CALL_ENDED', 'This call has ended; there is nothing to transfer.');
	if (call.agentId !== actor.id) throw new AppError('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agent on this call can transfer it.');
	const { toNumber } = await checkTarget(deps, actor.id, input.target);
	const inbound = call.direction === 'inbound';
	const offered = await deps.hot.mutation(
		api.transfers.offer,
		{
			transferId: randomUUID(),
			// The call as active_calls keys it, whichever of its legs the softphone named.
			callSid: call.callSid,
			...(legsOf(call).customerCallSid ? { customerCallSid: legsOf(call).customerCallSid ?? undefined } : {}),
			kind: input.kind,
			targetKind: 'agentId' in input.target ? 'agent' : 'queue' in input.target ? 'queue' : 'number',
			fromAgentId: actor.id,
			fromAgentName: actor.name,
			...('agentId' in input.target ? { toAgentId: input.target.agentId } : {}),
			...('queue' in input.target ? { toQueue: input.target.queue } : {}),
			...(toNumber ? { toNumber } : {}),
			...(call.queueName ? { originalQueue: call.queueName } : {}),
			...(call.customerId ? { customerId: call.customerId } : {}),
			...(call.customerName ? { customerName: call.customerName } : {}),
			callerNumber: call.customerNumber ?? (inbound ? call.from : call.to),
			ourNumber: inbound ? call.to : call.from,
			...(input.note?.trim() ? { note: input.note.trim() } : {}),
			offerSeconds: deps.offerSeconds ?? OFFER_SECONDS,
			wrapupSeconds: await handoffWrapupSeconds(deps.db, { queueName: call.queueName })
		},
		SYSTEM_IDENTITY
	);
	if (!offered.ok) throw new AppError(KIND_OF[offered.code] ?? 'CONFLICT', offered.code, offered.message);
	const row = offered.row;
	try {
		await openTransferArchive(deps.db, row);
	} catch (error) {
		// Keep the stores in step: the hot offer goes, as if the first agent cancelled at once.
		await deps.hot.mutation(api.transfers.advance, { transferId: row.transferId, event: 'cancel' }, SYSTEM_IDENTITY).catch(() => undefined);
		throw error;
	}
	const close = offered.effects.find((e) => e.type === 'close');
	const now = new Date();
	if (close) await closeTransferArchive(deps.db, row.transferId, close.outcome, 'transferred to a queue', now);
	await recordTransferSegments(deps.db, row, now);
	if (firstAgentLeaves('start', row.phase, offered.effects)) await handOff(deps, row, now);
	try {
		await carryOut(await effectsContext(deps, row), row, offered.effects);
	} catch (error) {
		await failStart(deps, row, error);
		throw new AppError('CONFLICT', 'CARRIER_FAILED', 'The transfer could not be placed; the caller is back with you or in their queue.');
	}
	await notifyTransfer(deps.broadcast, row);
	return row;
}

/** The carrier refused a leg: close the transfer as a decline (the caller goes back, nothing rings). */
async function failStart(deps: TransferDeps, row: Doc<'transfer_queue'>, error: unknown): Promise<void> {
	const moved = await deps.hot.mutation(api.transfers.advance, { transferId: row.transferId, event: 'target-declined' }, SYSTEM_IDENTITY);
	if (moved.ok) await afterMove(deps, { ...moved.row, ...pickLegs(row) }, moved.effects, `carrier error: ${String(error)}`, 'target-declined');
}

function pickLegs(row: Doc<'transfer_queue'>) {
	const { targetCallSid, conferenceName, conferenceSid, agentCallSid, customerCallSid } = row;
	return Object.fromEntries(Object.entries({ targetCallSid, conferenceName, conferenceSid, agentCallSid, customerCallSid }).filter(([, v]) => v !== undefined));
}
