/**
 * Transfers from the softphone: the directory (agents and queues, live), start (cold or warm, to
 * an agent, a queue or an outside number) and the buttons on either side of an offer. Every move
 * is decided by the transfer machine in hot state (transfers/); these procedures only map input.
 */
import { z } from 'zod';
import { moveTransfer, type MoveEvent } from '../../transfers/move-transfer';
import { startTransfer } from '../../transfers/start-transfer';
import { transferDirectory } from '../../transfers/transfer-directory';
import { transferDeps } from '../../transfers/transfer-services';
import { agentProcedure, router } from '../init';

export const ZDirectoryRequest = z.object({ search: z.string().max(100).optional() });
export const ZDirectoryResponse = z.object({
	agents: z.array(z.object({ id: z.string(), name: z.string(), status: z.string(), available: z.boolean(), skills: z.array(z.object({ skill: z.string(), level: z.number() })) })),
	queues: z.array(z.object({ name: z.string(), skills: z.array(z.string()), waiting: z.int(), availableAgents: z.int() }))
});

export const ZTransferTarget = z.union([
	z.object({ agentId: z.string().min(1) }),
	z.object({ queue: z.string().min(1).max(64) }),
	z.object({ number: z.string().min(3).max(40) })
]);
export const ZStartTransferRequest = z.object({
	callSid: z.string().min(2).max(64),
	kind: z.enum(['cold', 'warm']),
	target: ZTransferTarget,
	note: z.string().max(500).optional()
});
export type TStartTransferRequest = z.input<typeof ZStartTransferRequest>;

export const ZTransferView = z.object({
	transferId: z.string(),
	callSid: z.string(),
	kind: z.enum(['cold', 'warm']),
	phase: z.string(),
	outcome: z.string().nullable(),
	expiresAt: z.number()
});
export type TTransferView = z.output<typeof ZTransferView>;
export const ZTransferRequest = z.object({ transferId: z.uuid({ error: 'transferId must be a transfer id.' }) });

const view = (row: { transferId: string; callSid: string; kind: 'cold' | 'warm'; phase: string; outcome?: string | undefined; expiresAt: number }): TTransferView => ({
	transferId: row.transferId,
	callSid: row.callSid,
	kind: row.kind,
	phase: row.phase,
	outcome: row.outcome ?? null,
	expiresAt: row.expiresAt
});

const button = (event: MoveEvent) =>
	agentProcedure
		.input(ZTransferRequest)
		.output(ZTransferView)
		.mutation(async ({ ctx, input }) => {
			const row = await moveTransfer(transferDeps(ctx.services), { transferId: input.transferId, event, actorId: ctx.user.id });
			if (!row) throw new Error('a move with an actor answers a row or throws');
			return view(row);
		});

export const transfersRouter = router({
	directory: agentProcedure
		.input(ZDirectoryRequest)
		.output(ZDirectoryResponse)
		.query(({ ctx, input }) => transferDirectory(ctx.services, ctx.user.id, input.search)),
	start: agentProcedure
		.input(ZStartTransferRequest)
		.output(ZTransferView)
		.mutation(async ({ ctx, input }) => view(await startTransfer(transferDeps(ctx.services), ctx.user, input))),
	accept: button('target-answered'),
	decline: button('target-declined'),
	cancel: button('cancel'),
	complete: button('complete'),
	joinAll: button('join-all')
});
