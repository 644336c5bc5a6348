/**
 * transfer_queue: each transfer is a row offered to its target. Every move goes through the
 * transfer machine's table (src/lib/transfers/transfer-machine.ts) inside one mutation, so
 * of two racing moves (the target accepting while the first agent cancels) the first to run wins
 * and the other is refused by the phase it finds: one outcome, whatever the timing. The mutation
 * answers the effects for the server to carry out on the carrier; the server writes the archive
 * from the same answer.
 */
import { v, type Infer } from 'convex/values';
import {
	REFUSAL_MESSAGES,
	firstAgentLeaves,
	isFinalPhase,
	stepTransfer,
	type TransferEffect,
	type TransferEvent,
	type TransferOutcome,
	type TransferPhase
} from '../src/lib/transfers/transfer-machine';
import { handoffCallSid, transferPlaceholder } from '../src/lib/transfers/handoff';
import type { Doc } from './_generated/dataModel';
import type { MutationCtx, QueryCtx } from './_generated/server';
import { agentQuery, internalMutation, systemMutation, systemQuery } from './lib/functions';
import { activeBySid, setAgent } from './lib/callRows';
import { findAgent, softphoneHealthy } from './lib/routing';
import { vActiveCall, vTransfer, vTransferKind, vTransferOutcome, vTransferTargetKind } from './schema';

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
	v.object({ type: v.literal('close'), outcome: vTransferOutcome })
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

/** The target's own leg as a call of theirs once they answer, so their softphone, wrap-up and the board see it. */
const targetLeg = (row: Doc<'transfer_queue'>) => row.targetCallSid ?? `transfer-${row.transferId}`;

/**
 * The target agent follows the offer: ringing while offered; on answer busy on their own leg,
 * which becomes their active call (its end puts them in wrap-up like any call); freed again
 * (leg row gone) when the transfer closes without them.
 */
async function followTarget(ctx: MutationCtx, row: Doc<'transfer_queue'>, to: TransferPhase, effects: TransferEffect[], now: number) {
	if (row.targetKind !== 'agent' || !row.toAgentId) return;
	const agent = await findAgent(ctx, row.toAgentId);
	if (!agent) return;
	const legSid = targetLeg(row);
	if (effects.some((e) => e.type === 'mark-accepted')) {
		const call = await activeBySid(ctx, row.callSid);
		await ctx.db.patch('agent_status', agent._id, { status: 'busy', since: now, activeCallSid: legSid });
		if (!(await activeBySid(ctx, legSid))) {
			await ctx.db.insert('active_calls', {
				callSid: legSid,
				...(row.customerCallSid ? { parentCallSid: row.customerCallSid } : {}),
				...callerOf(row, call),
				agentId: row.toAgentId,
				state: 'in-progress',
				startedAt: now,
				answeredAt: now,
				muted: false,
				recording: call?.recording ?? false,
				// No conferenceName: call control finds a call by its conference, and that is the first agent's row.
				...(call?.queueName ? { queueName: call.queueName } : {})
			});
		}
		return;
	}
	const targetStays = to === 'completed' || to === 'joined';
	if (!isFinalPhase(to) || targetStays) return;
	// Closed without the target on the call: declined, timed out, cancelled, the caller gone.
	const leg = await activeBySid(ctx, legSid);
	if (leg && leg.state !== 'wrapup') await ctx.db.delete('active_calls', leg._id);
	if (agent.status === 'ringing' || agent.activeCallSid === legSid) {
		await ctx.db.patch('agent_status', agent._id, { status: 'available', since: now, activeCallSid: undefined });
	}
}

/**
 * The first agent is off the call: into wrap-up now, not when the caller hangs up, on a wrap-up
 * row of their own (handoffCallSid); the call's row stays for whoever has the caller next (named
 * by the transfer until then: handOver, or nobody's when it went to a queue or a number).
 */
/** Who the call is with, for a row a transfer adds to active_calls: from the call's own row, else the transfer's. */
function callerOf(row: Doc<'transfer_queue'>, call: Doc<'active_calls'> | null) {
	return {
		direction: call?.direction ?? ('inbound' as const),
		...(row.customerId ? { customerId: row.customerId } : {}),
		...(row.customerName ? { customerName: row.customerName } : {}),
		from: call?.from ?? row.callerNumber,
		to: call?.to ?? row.ourNumber ?? ''
	};
}

async function releaseFirstAgent(ctx: MutationCtx, row: Doc<'transfer_queue'>, now: number, wrapupSeconds: number | undefined) {
	const call = await activeBySid(ctx, row.callSid);
	const sid = handoffCallSid(row.transferId);
	if (!(await activeBySid(ctx, sid))) {
		await ctx.db.insert('active_calls', {
			callSid: sid,
			// The call as the first agent's softphone knows it, so its wrap-up becomes this one.
			handoffOf: row.callSid,
			...callerOf(row, call),
			agentId: row.fromAgentId,
			state: 'wrapup',
			startedAt: call?.startedAt ?? row.requestedAt,
			...(call?.answeredAt !== undefined ? { answeredAt: call.answeredAt } : {}),
			endedAt: now,
			...(wrapupSeconds !== undefined ? { wrapupEndsAt: now + wrapupSeconds * 1000 } : {}),
			muted: false,
			recording: false,
			...(call?.queueName ? { queueName: call.queueName } : {})
		});
	}
	// Until someone answers for it, the call is nobody's: not the first agent's controls, calls or wrap-up any more.
	if (call && call.agentId === row.fromAgentId && call.state !== 'wrapup') await ctx.db.patch('active_calls', call._id, { agentId: transferPlaceholder(row.transferId) });
	const agent = await findAgent(ctx, row.fromAgentId);
	if (agent && (!agent.activeCallSid || agent.activeCallSid === row.callSid || (call && agent.activeCallSid === call.agentCallSid))) {
		await setAgent(ctx, agent, { status: 'wrapup', since: now, activeCallSid: sid });
	}
}

/**
 * Completed to an agent: the call is the target's now. Its row (which call control and the end
 * of the call go by) names them and their leg, their own leg row goes, so the caller hanging up
 * puts them in wrap-up on the call like any agent ending a call (callWrapup.completeCall).
 */
async function handOver(ctx: MutationCtx, row: Doc<'transfer_queue'>, now: number) {
	if (row.targetKind !== 'agent' || !row.toAgentId) return;
	const call = await activeBySid(ctx, row.callSid);
	if (!call || call.state === 'wrapup') return;
	const leg = await activeBySid(ctx, targetLeg(row));
	if (leg && leg._id !== call._id) await ctx.db.delete('active_calls', leg._id);
	await ctx.db.patch('active_calls', call._id, { agentId: row.toAgentId, ...(row.targetCallSid ? { agentCallSid: row.targetCallSid } : {}), state: 'in-progress', holdStartedAt: undefined });
	const agent = await findAgent(ctx, row.toAgentId);
	if (agent) await setAgent(ctx, agent, { status: 'busy', since: now, activeCallSid: call.callSid });
}

/**
 * A blind transfer nobody answered put the caller back in line: nobody has the call now, so its
 * row goes and whoever takes them from the line starts it afresh. (Not at a queue transfer's
 * start: its effects still move the call into its conference by that row.)
 */
async function leaveCallToQueue(ctx: MutationCtx, callSid: string) {
	const call = await activeBySid(ctx, callSid);
	if (call && call.state !== 'wrapup') await ctx.db.delete('active_calls', call._id);
}

/** Run one event through the machine on a row, atomically. */
async function move(ctx: MutationCtx, row: Doc<'transfer_queue'>, event: TransferEvent, now: number, wrapupSeconds?: number): Promise<TransferMove> {
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
	if (firstAgentLeaves(event.type, step.to, step.effects)) await releaseFirstAgent(ctx, row, now, wrapupSeconds);
	if (step.to === 'completed') await handOver(ctx, row, now);
	if (step.to === 'requeued') await leaveCallToQueue(ctx, row.callSid);
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
		ourNumber: v.optional(v.string()),
		note: v.optional(v.string()),
		offerSeconds: v.number(),
		/** The call's queue's wrap-up time, for the first agent's countdown when the transfer takes them off the call. */
		wrapupSeconds: v.optional(v.number())
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
		// A transfer under way first: a cold one has already taken the call from its first agent.
		if (await openOnCall(ctx, args.callSid)) return refuse('TRANSFER_IN_PROGRESS', REFUSAL_MESSAGES.TRANSFER_IN_PROGRESS);
		if (call.agentId !== args.fromAgentId) return refuse('NOT_YOUR_CALL', 'Only the agent on this call can transfer it.');
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
		const { offerSeconds, wrapupSeconds, ...fields } = args;
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
		const inserted = { _id: id, _creationTime: now, ...row };
		if (firstAgentLeaves('start', step.to, step.effects)) await releaseFirstAgent(ctx, inserted, now, wrapupSeconds);
		return { ok: true as const, row: inserted, effects: step.effects };
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
		actorId: v.optional(v.string()),
		/** The call's queue's wrap-up time, for the first agent's countdown when this move takes them off the call. */
		wrapupSeconds: v.optional(v.number())
	},
	returns: v.union(vMoved, vRefused),
	handler: async (ctx, { transferId, event, actorId, wrapupSeconds }) => {
		const row = await byTransferId(ctx, transferId);
		if (!row) return refuse('UNKNOWN_TRANSFER', 'That transfer no longer exists.');
		const who = ACTOR[event];
		if (actorId !== undefined && who) {
			const allowed = who === 'target' ? row.toAgentId : row.fromAgentId;
			if (actorId !== allowed) {
				return refuse('NOT_YOURS', who === 'target' ? 'This transfer was offered to someone else.' : 'Only the agent who started this transfer can do that.');
			}
		}
		return move(ctx, row, { type: event }, Date.now(), wrapupSeconds);
	}
});

/** The carrier's legs for this transfer, once known: the conference, the first agent's and the target's leg. */
export const setLegs = systemMutation({
	args: {
		transferId: v.string(),
		targetCallSid: v.optional(v.string()),
		conferenceName: v.optional(v.string()),
		conferenceSid: v.optional(v.string()),
		agentCallSid: v.optional(v.string()),
		customerCallSid: v.optional(v.string())
	},
	returns: v.null(),
	handler: async (ctx, { transferId, ...legs }) => {
		const row = await byTransferId(ctx, transferId);
		const known = Object.fromEntries(Object.entries(legs).filter(([, value]) => value !== undefined));
		if (row) await ctx.db.patch('transfer_queue', row._id, known);
		return null;
	}
});

/**
 * Put a transferred caller into a queue's line (the queue a transfer named, or their own when the
 * transfer failed with the first agent gone): their incoming row is reset to waiting there, ahead
 * of new callers (priority 1), and the hold loop offers them to the next free agent with the skills.
 */
export const requeueCaller = systemMutation({
	args: {
		callSid: v.string(),
		from: v.string(),
		to: v.string(),
		customerId: v.optional(v.string()),
		customerName: v.optional(v.string()),
		queueName: v.string(),
		requiredSkills: v.array(v.string())
	},
	returns: v.null(),
	handler: async (ctx, args) => {
		const now = Date.now();
		const line = {
			queueName: args.queueName,
			requiredSkills: args.requiredSkills,
			requiredSkill: args.requiredSkills[0],
			state: 'routing' as const,
			lineState: 'waiting' as const,
			priority: 1,
			enqueuedAt: now,
			offeredTo: undefined,
			offeredAt: undefined,
			assignedTo: undefined,
			declinedBy: []
		};
		const existing = await ctx.db
			.query('incoming_call_queue')
			.withIndex('by_callSid', (q) => q.eq('callSid', args.callSid))
			.unique();
		if (existing) await ctx.db.patch('incoming_call_queue', existing._id, line);
		else {
			const { queueName: _q, requiredSkills: _r, ...caller } = args;
			await ctx.db.insert('incoming_call_queue', { ...caller, ...line, receivedAt: now, attempts: 0 });
		}
		// In a line, the call is nobody's: the row the first agent had goes (as leaveCallToQueue does on a
		// move), whoever picks the caller up starts a fresh one. An outbound call's row is keyed by the
		// agent's leg, so it is found by the customer's; left, it stood beside the pickup's on the wallboard.
		const held =
			(await activeBySid(ctx, args.callSid)) ??
			(await ctx.db
				.query('active_calls')
				.withIndex('by_customerCallSid', (q) => q.eq('customerCallSid', args.callSid))
				.first());
		if (held && held.state !== 'wrapup') await ctx.db.delete('active_calls', held._id);
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

/** The live call a transfer starts from, by any of its legs (the softphone knows its own), as active_calls has it. */
export const callFor = systemQuery({
	args: { callSid: v.string() },
	returns: v.union(v.object({ _id: v.id('active_calls'), _creationTime: v.number(), ...vActiveCall.fields }), v.null()),
	handler: async (ctx, { callSid }) =>
		(await activeBySid(ctx, callSid)) ??
		(await ctx.db
			.query('active_calls')
			.withIndex('by_agentCallSid', (q) => q.eq('agentCallSid', callSid))
			.first()) ??
		(await ctx.db
			.query('active_calls')
			.withIndex('by_customerCallSid', (q) => q.eq('customerCallSid', callSid))
			.first())
});

/** The transfer directory's live half: every staff member's presence and skills, and each queue's line. */
export const directory = systemQuery({
	args: { queues: v.array(v.string()) },
	returns: v.object({
		agents: v.array(
			v.object({ userId: v.string(), name: v.string(), status: v.string(), ready: v.boolean(), skills: v.array(v.object({ skill: v.string(), level: v.number() })) })
		),
		waiting: v.array(v.object({ queueName: v.string(), count: v.number() }))
	}),
	handler: async (ctx, { queues }) => {
		const now = Date.now();
		const staff = await ctx.db.query('agent_status').take(500);
		const agents = [];
		for (const a of staff) {
			const skills = await ctx.db
				.query('agent_skills')
				.withIndex('by_userId', (q) => q.eq('userId', a.userId))
				.collect();
			agents.push({
				userId: a.userId,
				name: a.name,
				status: a.status,
				ready: softphoneHealthy(a, now),
				skills: skills.map((s) => ({ skill: s.skill, level: s.level }))
			});
		}
		const waiting = [];
		for (const queueName of queues) {
			const line = await ctx.db
				.query('incoming_call_queue')
				.withIndex('by_line', (q) => q.eq('queueName', queueName).eq('lineState', 'waiting'))
				.take(101);
			waiting.push({ queueName, count: line.length });
		}
		return { agents, waiting };
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

/** The open transfer in a conference (by its friendly name), for the conference webhook. */
export const openForConference = systemQuery({
	args: { conferenceName: v.string() },
	returns: v.union(vTransferRow, v.null()),
	handler: async (ctx, { conferenceName }) => {
		for (const phase of OPEN) {
			const rows = await ctx.db
				.query('transfer_queue')
				.withIndex('by_phase', (q) => q.eq('phase', phase))
				.take(500);
			const found = rows.find((r) => r.conferenceName === conferenceName || r.conferenceSid === conferenceName);
			if (found) return found;
		}
		return null;
	}
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
