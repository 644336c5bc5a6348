/**
 * What everyone sees of the live calls: the wallboard's board (ringing, waiting in line, on a
 * call or in wrap-up) and the recording flag the softphone and wallboard show.
 */
import { v } from 'convex/values';
import { activeBySid } from './lib/callRows';
import { managerQuery, systemMutation } from './lib/functions';
import { vActiveCall, vIncomingCall, vQueuedCall } from './schema';

/** Every call in hot state, for the wallboard: ringing or being routed, waiting in a queue, and on a call or in wrap-up. */
export const board = managerQuery({
	args: {},
	returns: v.object({
		incoming: v.array(vIncomingCall.extend({ _id: v.id('incoming_call_queue'), _creationTime: v.number() })),
		waiting: v.array(vQueuedCall.extend({ _id: v.id('call_queue'), _creationTime: v.number() })),
		active: v.array(vActiveCall.extend({ _id: v.id('active_calls'), _creationTime: v.number() }))
	}),
	handler: async (ctx) => {
		const incoming = (await ctx.db.query('incoming_call_queue').collect()).filter((r) => r.state !== 'accepted').sort((a, b) => a.receivedAt - b.receivedAt);
		const waiting = (
			await ctx.db
				.query('call_queue')
				.withIndex('by_state', (q) => q.eq('state', 'waiting'))
				.collect()
		).sort((a, b) => a.queueName.localeCompare(b.queueName) || b.priority - a.priority || a.enqueuedAt - b.enqueuedAt);
		const active = (await ctx.db.query('active_calls').collect()).sort((a, b) => a.startedAt - b.startedAt);
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
