/**
 * transfer_queue: each transfer is a row offered to its target. Every move goes through the
 * transfer machine's table (src/lib/server/transfers/transfer-machine.ts) inside one mutation, so
 * of two racing moves (the target accepting while the first agent cancels) the first to run wins
 * and the other is refused by the phase it finds: one outcome, whatever the timing. The mutation
 * answers the effects for the server to carry out on the carrier; the server writes the archive
 * from the same answer.
 */
import { v, type Infer } from 'convex/values';
import {
	REFUSAL_MESSAGES,
	isFinalPhase,
	stepTransfer,
	type TransferEffect,
	type TransferEvent,
	type TransferOutcome,
	type TransferPhase
} from '../src/lib/server/transfers/transfer-machine';
import type { Doc } from './_generated/dataModel';
import type { MutationCtx, QueryCtx } from './_generated/server';
import { agentQuery, internalMutation, systemMutation, systemQuery } from './lib/functions';
import { findAgent, softphoneHealthy } from './lib/routing';
import { vTransfer, vTransferKind, vTransferTargetKind } from './schema';

/** A closed row stays this long so both screens show how the transfer ended. */
export const CLOSED_ROW_MS = 60_000;
const OPEN: TransferPhase[] = ['ringing', 'blind_ringing', 'consulting'];

const vEffect = v.union(
	v.object({ type: v.literal('hold-customer') }),
	v.object({ type: v.literal('unhold-customer') }),
	v.object({ type: v.literal('ring-target') }),
	v.object({ type: v.literal('drop-target') }),
	v.object({ type: v.literal('drop-first-agent') }),
	v.object({ type: v.literal('requeue-customer'), queue: v.union(v.literal('target'), v.literal('original')) }),
	v.object({ type: v.literal('end-conference') }),
	v.object({ type: v.literal('mark-accepted') }),
	v.object({ type: v.literal('close'), outcome: v.string() })
);
const vTransferRow = v.object({ _id: v.id('transfer_queue'), _creationTime: v.number(), ...vTransfer.fields });
const vMoved = v.object({ ok: v.literal(true), row: vTransferRow, effects: v.array(vEffect) });
const vRefused = v.object({ ok: v.literal(false), code: v.string(), message: v.string(), phase: v.optional(v.string()) });
export type TransferMove = Infer<typeof vMoved> | Infer<typeof vRefused>;

const refuse = (code: string, message: string, phase?: string) => ({ ok: false as const, code, message, ...(phase ? { phase } : {}) });

async function byTransferId(ctx: QueryCtx | MutationCtx, transferId: string) {
	return ctx.db
		.query('transfer_queue')
		.withIndex('by_transferId', (q) => q.eq('transferId', transferId))
		.unique();
}

async function openOnCall(ctx: QueryCtx | MutationCtx, callSid: string) {
	const rows = await ctx.db
		.query('transfer_queue')
		.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
		.collect();
	return rows.find((r) => !isFinalPhase(r.phase)) ?? null;
}

function outcomeOf(effects: TransferEffect[]): TransferOutcome | undefined {
	for (const e of effects) if (e.type === 'close') return e.outcome;
	return undefined;
}

/** The target agent's presence follows the offer: ringing while offered, busy on it, free again after. */
async function followTarget(ctx: MutationCtx, row: Doc<'transfer_queue'>, to: TransferPhase, effects: TransferEffect[], now: number) {
	if (row.targetKind !== 'agent' || !row.toAgentId) return;
	const agent = await findAgent(ctx, row.toAgentId);
	if (!agent) return;
	if (effects.some((e) => e.type === 'mark-accepted')) {
		await ctx.db.patch('agent_status', agent._id, { status: 'busy', since: now, activeCallSid: row.targetCallSid ?? row.callSid });
		return;
	}
	// Closed without the target on the call: declined, timed out, cancelled, the caller gone.
	const targetStays = to === 'completed' || to === 'joined';
	if (isFinalPhase(to) && !targetStays && (agent.status === 'ringing' || agent.activeCallSid === (row.targetCallSid ?? row.callSid))) {
		const targetConnected = row.phase === 'consulting';
		await ctx.db.patch('agent_status', agent._id, {
			status: 'available',
			since: now,
			activeCallSid: undefined,
			...(targetConnected ? { lastCallEndedAt: now } : {})
		});
	}
}

/** Run one event through the machine on a row, atomically. */
async function move(ctx: MutationCtx, row: Doc<'transfer_queue'>, event: TransferEvent, now: number): Promise<TransferMove> {
	const step = stepTransfer(row.phase, event);
	if (!step.ok) return refuse(step.refusal, REFUSAL_MESSAGES[step.refusal], row.phase);
	const outcome = outcomeOf(step.effects);
	const patch: Partial<Doc<'transfer_queue'>> = { phase: step.to };
	if (step.effects.some((e) => e.type === 'mark-accepted')) patch.respondedAt = now;
	if (outcome) {
		patch.outcome = outcome;
		patch.closedAt = now;
		if ((outcome === 'declined' || outcome === 'timeout') && row.respondedAt === undefined) patch.respondedAt = now;
	}
	await followTarget(ctx, row, step.to, step.effects, now);
	await ctx.db.patch('transfer_queue', row._id, patch);
	return { ok: true, row: { ...row, ...patch }, effects: step.effects };
}

/** Who may press which button: the target answers or declines, the first agent completes, cancels, joins. */
const ACTOR: Partial<Record<TransferEvent['type'], 'target' | 'first'>> = {
	'target-answered': 'target',
	'target-declined': 'target',
	complete: 'first',
	cancel: 'first',
	'join-all': 'first'
};

export const offer = systemMutation({
	args: {
		transferId: v.string(),
		callSid: v.string(),
		customerCallSid: v.optional(v.string()),
		kind: vTransferKind,
		targetKind: vTransferTargetKind,
		fromAgentId: v.string(),
		fromAgentName: v.string(),
		toAgentId: v.optional(v.string()),
		toQueue: v.optional(v.string()),
		toNumber: v.optional(v.string()),
		originalQueue: v.optional(v.string()),
		customerId: v.optional(v.string()),
		customerName: v.optional(v.string()),
		callerNumber: v.string(),
		note: v.optional(v.string()),
		offerSeconds: v.number()
	},
	returns: v.union(vMoved, vRefused),
	handler: async (ctx, args) => {
		const now = Date.now();
		if (await byTransferId(ctx, args.transferId)) return refuse('TRANSFER_IN_PROGRESS', REFUSAL_MESSAGES.TRANSFER_IN_PROGRESS);
		const call = await ctx.db
			.query('active_calls')
			.withIndex('by_callSid', (q) => q.eq('callSid', args.callSid))
			.unique();
		if (!call || call.state === 'wrapup') return refuse('CALL_ENDED', REFUSAL_MESSAGES.CALL_ENDED);
		if (call.agentId !== args.fromAgentId) return refuse('NOT_YOUR_CALL', 'Only the agent on this call can transfer it.');
		if (await openOnCall(ctx, args.callSid)) return refuse('TRANSFER_IN_PROGRESS', REFUSAL_MESSAGES.TRANSFER_IN_PROGRESS);
		let toAgentName: string | undefined;
		if (args.targetKind === 'agent') {
			if (!args.toAgentId) return refuse('BAD_TARGET', 'Choose an agent to transfer to.');
			if (args.toAgentId === args.fromAgentId) return refuse('TRANSFER_TO_SELF', 'You cannot transfer a call to yourself.');
			const agent = await findAgent(ctx, args.toAgentId);
			if (!agent || agent.status !== 'available' || !softphoneHealthy(agent, now)) {
				const why = !agent || agent.status === 'offline' ? 'is offline' : agent.status === 'available' ? 'has no ready softphone' : `is ${agent.status}`;
				return refuse('TARGET_UNAVAILABLE', `${agent?.name ?? 'That agent'} ${why}; choose someone available.`);
			}
			toAgentName = agent.name;
			await ctx.db.patch('agent_status', agent._id, { status: 'ringing', since: now });
		}
		const step = stepTransfer('idle', { type: 'start', kind: args.kind, target: args.targetKind });
		if (!step.ok) return refuse(step.refusal, REFUSAL_MESSAGES[step.refusal]);
		const { offerSeconds, ...fields } = args;
		const outcome = outcomeOf(step.effects);
		const row = {
			...fields,
			...(toAgentName ? { toAgentName } : {}),
			phase: step.to,
			requestedAt: now,
			expiresAt: now + offerSeconds * 1000,
			...(outcome ? { outcome, closedAt: now } : {})
		};
		const id = await ctx.db.insert('transfer_queue', row);
		return { ok: true as const, row: { _id: id, _creationTime: now, ...row }, effects: step.effects };
	}
});

export const advance = systemMutation({
	args: {
		transferId: v.string(),
		event: v.union(
			v.literal('target-ringing'),
			v.literal('target-answered'),
			v.literal('target-declined'),
			v.literal('target-timeout'),
			v.literal('complete'),
			v.literal('cancel'),
			v.literal('join-all'),
			v.literal('first-agent-hangup'),
			v.literal('target-hangup'),
			v.literal('customer-hangup')
		),
		/** The agent who pressed the button; absent for carrier events. */
		actorId: v.optional(v.string())
	},
	returns: v.union(vMoved, vRefused),
	handler: async (ctx, { transferId, event, actorId }) => {
		const row = await byTransferId(ctx, transferId);
		if (!row) return refuse('UNKNOWN_TRANSFER', 'That transfer no longer exists.');
		const who = ACTOR[event];
		if (actorId !== undefined && who) {
			const allowed = who === 'target' ? row.toAgentId : row.fromAgentId;
			if (actorId !== allowed) {
				return refuse('NOT_YOURS', who === 'target' ? 'This transfer was offered to someone else.' : 'Only the agent who started this transfer can do that.');
			}
		}
		return move(ctx, row, { type: event }, Date.now());
	}
});

/** The carrier created the target's leg: remember it so its events find this transfer. */
export const setTargetCall = systemMutation({
	args: { transferId: v.string(), targetCallSid: v.string() },
	returns: v.null(),
	handler: async (ctx, { transferId, targetCallSid }) => {
		const row = await byTransferId(ctx, transferId);
		if (row && !isFinalPhase(row.phase)) await ctx.db.patch('transfer_queue', row._id, { targetCallSid });
		return null;
	}
});

/** Offers past their expiry time out; closed rows past their minute go. Returns the moves made. */
async function sweep(ctx: MutationCtx, now: number) {
	const moves: Array<Infer<typeof vMoved>> = [];
	for (const phase of ['ringing', 'blind_ringing'] as const) {
		const due = await ctx.db
			.query('transfer_queue')
			.withIndex('by_phase', (q) => q.eq('phase', phase).lte('expiresAt', now))
			.take(50);
		for (const row of due) {
			const moved = await move(ctx, row, { type: 'target-timeout' }, now);
			if (moved.ok) moves.push(moved);
		}
	}
	for (const phase of ['completed', 'joined', 'returned', 'requeued', 'ended'] as const) {
		const old = await ctx.db
			.query('transfer_queue')
			.withIndex('by_phase', (q) => q.eq('phase', phase))
			.take(200);
		for (const row of old) if ((row.closedAt ?? row.requestedAt) + CLOSED_ROW_MS <= now) await ctx.db.delete('transfer_queue', row._id);
	}
	return moves;
}

export const expireOffers = systemMutation({
	args: {},
	returns: v.array(vMoved),
	handler: async (ctx) => sweep(ctx, Date.now())
});

/** For Convex's scheduler (crons.ts); the local engine has none, so the server sweeps as well. */
export const sweepExpired = internalMutation({
	args: {},
	handler: async (ctx) => {
		await sweep(ctx, Date.now());
	}
});

export const get = systemQuery({
	args: { transferId: v.string() },
	returns: v.union(vTransferRow, v.null()),
	handler: async (ctx, { transferId }) => byTransferId(ctx, transferId)
});

/** The open transfer of a call (any party's leg), for the webhooks. */
export const openForCall = systemQuery({
	args: { callSid: v.string() },
	returns: v.union(vTransferRow, v.null()),
	handler: async (ctx, { callSid }) => openOnCall(ctx, callSid)
});

/** Offers to me and transfers I started, live: the offer dialog and the consult bar. */
export const mine = agentQuery({
	args: {},
	returns: v.object({ offered: v.array(vTransferRow), started: v.array(vTransferRow) }),
	handler: async (ctx) => {
		const me = ctx.caller.userId;
		const offered = await ctx.db
			.query('transfer_queue')
			.withIndex('by_toAgentId', (q) => q.eq('toAgentId', me))
			.collect();
		const started = await ctx.db
			.query('transfer_queue')
			.withIndex('by_fromAgentId', (q) => q.eq('fromAgentId', me))
			.collect();
		return { offered, started };
	}
});

/** For tests and the wallboard: everything open right now. */
export const openCount = systemQuery({
	args: {},
	returns: v.number(),
	handler: async (ctx) => {
		let n = 0;
		for (const phase of OPEN) {
			n += (
				await ctx.db
					.query('transfer_queue')
					.withIndex('by_phase', (q) => q.eq('phase', phase))
					.collect()
			).length;
		}
		return n;
	}
});
