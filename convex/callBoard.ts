/**
 * What everyone sees of the live calls: the wallboard's board (ringing, waiting in line, on a
 * call or in wrap-up) and the recording flag the softphone and wallboard show.
 */
import { v } from 'convex/values';
import type { Doc } from './_generated/dataModel';
import { transferOfPlaceholder, transferringLabel } from '../src/lib/transfers/handoff';
import { activeBySid } from './lib/callRows';
import { managerQuery, systemMutation } from './lib/functions';
import { vActiveCall, vIncomingCall } from './schema';

/** A caller waiting in line, as the wallboard lists it (its incoming_call_queue row's line fields). */
const vWaitingCaller = v.object({
	_id: v.id('incoming_call_queue'),
	_creationTime: v.number(),
	callSid: v.string(),
	queueName: v.string(),
	from: v.string(),
	to: v.string(),
	customerId: v.optional(v.string()),
	customerName: v.optional(v.string()),
	customerCompany: v.optional(v.string()),
	requiredSkill: v.optional(v.string()),
	requiredSkills: v.optional(v.array(v.string())),
	priority: v.number(),
	state: v.literal('waiting'),
	enqueuedAt: v.number()
});

/** The caller's side of an incoming row, as the waiting list shows it. */
function pick(r: Doc<'incoming_call_queue'>) {
	const { _id, _creationTime, callSid, from, to, customerId, customerName, customerCompany, requiredSkill, requiredSkills } = r;
	return { _id, _creationTime, callSid, from, to, customerId, customerName, customerCompany, requiredSkill, requiredSkills };
}

/** Every call in hot state, for the wallboard: ringing or being routed, waiting in a queue, and on a call or in wrap-up. */
export const board = managerQuery({
	args: {},
	returns: v.object({
		incoming: v.array(vIncomingCall.extend({ _id: v.id('incoming_call_queue'), _creationTime: v.number() })),
		waiting: v.array(vWaitingCaller),
		/** transferringTo: where a call nobody has yet is going (a cold transfer ringing), instead of its placeholder agent id. */
		active: v.array(vActiveCall.extend({ _id: v.id('active_calls'), _creationTime: v.number(), transferringTo: v.optional(v.string()) }))
	}),
	handler: async (ctx) => {
		const rows = await ctx.db.query('incoming_call_queue').collect();
		const incoming = rows.filter((r) => r.state !== 'accepted').sort((a, b) => a.receivedAt - b.receivedAt);
		const waiting = rows
			.flatMap((r) =>
				r.lineState === 'waiting' && r.queueName !== undefined && r.enqueuedAt !== undefined
					? [
							{
								...pick(r),
								queueName: r.queueName,
								priority: r.priority ?? 0,
								state: 'waiting' as const,
								enqueuedAt: r.enqueuedAt
							}
						]
					: []
			)
			.sort((a, b) => a.queueName.localeCompare(b.queueName) || b.priority - a.priority || a.enqueuedAt - b.enqueuedAt);
		const rowsActive = (await ctx.db.query('active_calls').collect()).sort((a, b) => a.startedAt - b.startedAt);
		const active: Array<Doc<'active_calls'> & { transferringTo?: string }> = [];
		for (const row of rowsActive) {
			const transferId = transferOfPlaceholder(row.agentId);
			const transfer = transferId
				? await ctx.db
						.query('transfer_queue')
						.withIndex('by_transferId', (q) => q.eq('transferId', transferId))
						.unique()
				: null;
			active.push(transferId ? { ...row, transferringTo: transferringLabel(transfer ?? {}) } : row);
		}
		return { incoming, waiting, active };
	}
});

/** The call's recording was paused or resumed at the carrier: the softphone and wallboard show it. */
export const setRecording = systemMutation({
	args: { callSid: v.string(), recording: v.boolean() },
	returns: v.null(),
	handler: async (ctx, { callSid, recording }) => {
		const active = await activeBySid(ctx, callSid);
		if (active && active.recording !== recording) await ctx.db.patch('active_calls', active._id, { recording });
		return null;
	}
});
