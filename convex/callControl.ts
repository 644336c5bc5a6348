/**
 * Call control in hot state (src/lib/server/call-control drives it): which legs a call has,
 * its move into a conference, hold, and the supervisors listening. Each decision that two
 * requests could race on (moving, holding) is one mutation, so it has one outcome.
 */
import { v } from 'convex/values';
import type { Doc } from './_generated/dataModel';
import type { QueryCtx } from './_generated/server';
import { activeBySid, incomingBySid, setAgent } from './lib/callRows';
import { joinedTargetLeaves } from './lib/transferLegs';
import { findAgent, softphoneHealthy } from './lib/routing';
import { agentQuery, systemMutation, systemQuery } from './lib/functions';
import { vActiveCall } from './schema';

const vRow = vActiveCall.extend({ _id: v.id('active_calls'), _creationTime: v.number() });
const vListener = v.object({ userId: v.string(), name: v.string(), mode: v.union(v.literal('monitor'), v.literal('whisper'), v.literal('barge')), callSid: v.string() });

/** The call a leg belongs to: its own row (callSid), or the row naming it as the agent's or customer's leg. */
async function rowOfLeg(ctx: QueryCtx, legSid: string): Promise<Doc<'active_calls'> | null> {
	const own = await activeBySid(ctx, legSid);
	if (own) return own;
	const asAgent = await ctx.db
		.query('active_calls')
		.withIndex('by_agentCallSid', (q) => q.eq('agentCallSid', legSid))
		.first();
	if (asAgent) return asAgent;
	return ctx.db
		.query('active_calls')
		.withIndex('by_customerCallSid', (q) => q.eq('customerCallSid', legSid))
		.first();
}

/** Remember a call's legs as the webhooks learn them (agent answered, customer answered, pickup). */
export const noteLegs = systemMutation({
	args: { callSid: v.string(), agentCallSid: v.optional(v.string()), customerCallSid: v.optional(v.string()), bridgedBy: v.optional(v.union(v.literal('dial'), v.literal('queue'))) },
	returns: v.null(),
	handler: async (ctx, { callSid, ...legs }) => {
		const row = await activeBySid(ctx, callSid);
		if (!row || row.state === 'wrapup') return null;
		const patch = Object.fromEntries(Object.entries(legs).filter(([k, value]) => value !== undefined && row[k as keyof typeof legs] !== value));
		if (Object.keys(patch).length) await ctx.db.patch('active_calls', row._id, patch);
		return null;
	}
});

/** The live call a leg belongs to (any of its legs), or null. */
export const byLeg = systemQuery({
	args: { legSid: v.string() },
	returns: v.union(vRow, v.null()),
	handler: async (ctx, { legSid }) => rowOfLeg(ctx, legSid)
});

/** The call whose conference has this name, or null. */
export const byConference = systemQuery({
	args: { conferenceName: v.string() },
	returns: v.union(vRow, v.null()),
	handler: async (ctx, { conferenceName }) =>
		ctx.db
			.query('active_calls')
			.withIndex('by_conferenceName', (q) => q.eq('conferenceName', conferenceName))
			.first()
});

/**
 * Start moving the call into `conferenceName` (hot state first, before any carrier request).
 * Idempotent: a call already moving or in its conference is returned as it is, `started` false.
 */
export const beginMove = systemMutation({
	args: { callSid: v.string(), conferenceName: v.string() },
	returns: v.union(v.object({ started: v.boolean(), row: vRow }), v.object({ started: v.literal(false), refused: v.string() })),
	handler: async (ctx, { callSid, conferenceName }) => {
		const row = await activeBySid(ctx, callSid);
		if (!row || row.state === 'wrapup' || row.state === 'ringing') return { started: false as const, refused: 'The call is not live.' };
		if (row.controlState) return { started: false, row };
		const patch = { controlState: 'moving' as const, conferenceName };
		await ctx.db.patch('active_calls', row._id, patch);
		return { started: true, row: { ...row, ...patch } };
	}
});

const vParticipant = v.object({ callSid: v.string(), label: v.string(), hold: v.boolean(), muted: v.boolean(), coaching: v.boolean() });

/**
 * A participant joined, left or changed (hold, mute, coach) in the call's conference. Returns
 * who is left, so the server can see a customer left without an agent.
 */
export const applyParticipant = systemMutation({
	args: { conferenceName: v.string(), left: v.boolean(), participant: vParticipant },
	returns: v.union(v.null(), v.object({ callSid: v.string(), participants: v.array(vParticipant) })),
	handler: async (ctx, { conferenceName, left, participant }) => {
		const row = await ctx.db
			.query('active_calls')
			.withIndex('by_conferenceName', (q) => q.eq('conferenceName', conferenceName))
			.first();
		if (!row) return null;
		const others = (row.participants ?? []).filter((p) => p.callSid !== participant.callSid);
		const participants = left ? others : [...others, participant];
		await ctx.db.patch('active_calls', row._id, { participants });
		return { callSid: row.callSid, participants };
	}
});

/**
 * The last agent left the call's conference and the customer is alone: an inbound caller goes
 * back in line in their queue, ahead of callers who came later (the agent is freed); an outbound
 * call has no line to go back to and ends. The server then redirects the customer's leg.
 */
export const requeueAlone = systemMutation({
	args: { callSid: v.string() },
	returns: v.union(v.object({ kind: v.literal('requeued'), queueName: v.string() }), v.object({ kind: v.literal('end') }), v.null()),
	handler: async (ctx, { callSid }) => {
		const row = await activeBySid(ctx, callSid);
		if (!row || row.state === 'wrapup') return null;
		const now = Date.now();
		const agent = await findAgent(ctx, row.agentId);
		if (agent && agent.activeCallSid === callSid) await setAgent(ctx, agent, { status: 'available', since: now, activeCallSid: undefined });
		const incoming = row.direction === 'inbound' ? await incomingBySid(ctx, callSid) : null;
		if (!incoming) return { kind: 'end' as const };
		await ctx.db.delete('active_calls', row._id);
		const queueName = incoming.queueName ?? row.queueName ?? 'default';
		await ctx.db.patch('incoming_call_queue', incoming._id, {
			state: 'routing',
			lineState: 'waiting',
			queueName,
			priority: (incoming.priority ?? 0) + 1,
			enqueuedAt: incoming.enqueuedAt ?? incoming.receivedAt,
			offeredTo: undefined,
			offeredAt: undefined,
			assignedTo: undefined
		});
		return { kind: 'requeued' as const, queueName };
	}
});

/** The carrier refused the move: the call stays the plain bridge it was. */
export const abortMove = systemMutation({
	args: { callSid: v.string() },
	returns: v.null(),
	handler: async (ctx, { callSid }) => {
		const row = await activeBySid(ctx, callSid);
		if (row?.controlState === 'moving') await ctx.db.patch('active_calls', row._id, { controlState: undefined, conferenceName: undefined });
		return null;
	}
});

/** The customer joined the call's conference (its participant-join came back): the call is in it. */
export const conferenceStarted = systemMutation({
	args: { conferenceName: v.string(), conferenceSid: v.string() },
	returns: v.null(),
	handler: async (ctx, { conferenceName, conferenceSid }) => {
		const row = await ctx.db
			.query('active_calls')
			.withIndex('by_conferenceName', (q) => q.eq('conferenceName', conferenceName))
			.first();
		if (row && (row.controlState !== 'conference' || row.conferenceSid !== conferenceSid)) {
			await ctx.db.patch('active_calls', row._id, { controlState: 'conference', conferenceSid });
		}
		return null;
	}
});

/**
 * Put the call on hold or take it off. Refuses holding a held call and resuming one that is not
 * held, so a double click changes nothing. Returns the held seconds added by a resume.
 */
export const setHold = systemMutation({
	args: { callSid: v.string(), held: v.boolean(), now: v.number() },
	returns: v.union(v.object({ ok: v.literal(true), heldSeconds: v.number() }), v.object({ ok: v.literal(false), code: v.string(), message: v.string() })),
	handler: async (ctx, { callSid, held, now }) => {
		const row = await activeBySid(ctx, callSid);
		if (!row || row.state === 'wrapup' || row.state === 'ringing') return { ok: false as const, code: 'CALL_NOT_LIVE', message: 'The call is not live.' };
		if (held && row.state === 'on-hold') return { ok: false as const, code: 'ALREADY_HELD', message: 'The call is already on hold.' };
		if (!held && row.state !== 'on-hold') return { ok: false as const, code: 'NOT_HELD', message: 'The call is not on hold.' };
		if (held) {
			await ctx.db.patch('active_calls', row._id, { state: 'on-hold', holdStartedAt: now });
			return { ok: true as const, heldSeconds: 0 };
		}
		const added = Math.max(0, Math.round((now - (row.holdStartedAt ?? now)) / 1000));
		await ctx.db.patch('active_calls', row._id, { state: 'in-progress', holdStartedAt: undefined, heldSeconds: (row.heldSeconds ?? 0) + added });
		return { ok: true as const, heldSeconds: added };
	}
});

/** A supervisor joined the call (monitor, whisper or barge), or changed how. */
export const addListener = systemMutation({
	args: { callSid: v.string(), listener: vListener },
	returns: v.null(),
	handler: async (ctx, { callSid, listener }) => {
		const row = await activeBySid(ctx, callSid);
		if (!row) return null;
		const others = (row.listeners ?? []).filter((l) => l.userId !== listener.userId);
		await ctx.db.patch('active_calls', row._id, { listeners: [...others, listener] });
		return null;
	}
});

/** A leg left the call's conference: if it was a listener's, the agent no longer sees them. */
export const removeListener = systemMutation({
	args: { callSid: v.string(), legSid: v.string() },
	returns: v.union(vListener, v.null()),
	handler: async (ctx, { callSid, legSid }) => {
		const row = await activeBySid(ctx, callSid);
		const gone = row?.listeners?.find((l) => l.callSid === legSid);
		if (!row || !gone) return null;
		await ctx.db.patch('active_calls', row._id, { listeners: row.listeners?.filter((l) => l.callSid !== legSid) });
		return gone;
	}
});

/**
 * An agent added to a call (not the call's own agent) joined or left its conference: busy on their
 * leg while they are in it, so nothing else is offered to them; available again when they leave.
 * A transfer's target is not available when they join (ringing, then the transfer's own row), so
 * this leaves them to the transfer.
 */
export const partyPresence = systemMutation({
	/** wrapupSeconds: the call's queue's wrap-up time, for a three-way call's target leaving it (their wrap-up). */
	args: { userId: v.string(), legSid: v.string(), joined: v.boolean(), wrapupSeconds: v.optional(v.number()) },
	returns: v.union(v.null(), v.object({ joinedTargetOf: v.string() })),
	handler: async (ctx, { userId, legSid, joined, wrapupSeconds }) => {
		const agent = await findAgent(ctx, userId);
		if (!agent) return null;
		const now = Date.now();
		if (joined && agent.status === 'available' && !agent.activeCallSid) await setAgent(ctx, agent, { status: 'busy', since: now, activeCallSid: legSid });
		// A three-way call's target is on a leg row of their own: leaving, they go to wrap-up as at the call's end (lib/transferLegs.ts).
		if (!joined) {
			const transferId = await joinedTargetLeaves(ctx, legSid, now, wrapupSeconds);
			if (transferId) return { joinedTargetOf: transferId };
			if (await activeBySid(ctx, legSid)) return null;
		}
		if (!joined && agent.status === 'busy' && agent.activeCallSid === legSid) await setAgent(ctx, agent, { status: 'available', since: now, activeCallSid: undefined });
		return null;
	}
});

/** An agent's name and presence, for adding them to a call (OFFLINE, BUSY are refusals the server words). */
export const agentPresence = systemQuery({
	args: { userId: v.string() },
	returns: v.union(v.object({ name: v.string(), status: v.string(), onCall: v.boolean(), ready: v.boolean() }), v.null()),
	handler: async (ctx, { userId }) => {
		const agent = await findAgent(ctx, userId);
		return agent ? { name: agent.name, status: agent.status, onCall: Boolean(agent.activeCallSid), ready: softphoneHealthy(agent, Date.now()) } : null;
	}
});

/** My live call's control state, for the softphone's call controls (hold timer, who is listening). */
export const mine = agentQuery({
	args: {},
	returns: v.union(
		v.object({
			callSid: v.string(),
			state: v.string(),
			holdStartedAt: v.union(v.number(), v.null()),
			heldSeconds: v.number(),
			inConference: v.boolean(),
			listeners: v.array(vListener)
		}),
		v.null()
	),
	handler: async (ctx) => {
		const rows = await ctx.db
			.query('active_calls')
			.withIndex('by_agentId', (q) => q.eq('agentId', ctx.caller.userId))
			.collect();
		const row = rows.find((r) => r.state === 'in-progress' || r.state === 'on-hold');
		if (!row) return null;
		return {
			callSid: row.callSid,
			state: row.state,
			holdStartedAt: row.holdStartedAt ?? null,
			heldSeconds: row.heldSeconds ?? 0,
			inConference: row.controlState !== undefined,
			listeners: row.listeners ?? []
		};
	}
});
