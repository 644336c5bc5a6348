/**
 * Live transcription lines in hot state: the server writes each carrier event through
 * `addLine` (webhook: calls/live-transcription.ts), the agent's softphone and the wallboard
 * read a call's running transcript with `forCall`. Events can arrive out of order: lines are
 * kept in SequenceId order, and a partial line older than what is already known is dropped.
 */
import { v } from 'convex/values';
import { roleAllows } from '../src/lib/roles';
import type { MutationCtx } from './_generated/server';
import { activeBySid } from './lib/callRows';
import { fail } from './lib/errors';
import { agentQuery, systemMutation } from './lib/functions';
import { liveTranscriptLineFields, vLiveSpeaker } from './schema';

/** The newest lines a screen shows; older ones stay in the archive. */
export const SHOWN_LINES = 200;
/** Lines older than this are swept when a new transcription starts (calls rarely last longer). */
export const KEEP_MS = 4 * 60 * 60 * 1000;
const SWEEP_BATCH = 200;

const vShownLine = v.object({
	sequenceId: v.number(),
	speaker: vLiveSpeaker,
	text: v.string(),
	final: v.boolean(),
	at: v.number()
});

/** One transcription-content event. Returns what became of it. */
export const addLine = systemMutation({
	args: liveTranscriptLineFields,
	returns: v.union(v.literal('added'), v.literal('replaced'), v.literal('stale'), v.literal('repeat')),
	handler: async (ctx, line) => {
		const partial = await ctx.db
			.query('live_transcript_lines')
			.withIndex('by_speaker', (q) => q.eq('callSid', line.callSid).eq('speaker', line.speaker).eq('final', false))
			.first();
		if (line.final) {
			const same = await ctx.db
				.query('live_transcript_lines')
				.withIndex('by_callSid', (q) => q.eq('callSid', line.callSid).eq('sequenceId', line.sequenceId))
				.first();
			if (same?.final) return 'repeat';
			if (same) await ctx.db.delete('live_transcript_lines', same._id);
			// The words so far of this line are now said in full; a partial of a later line stays.
			if (partial && partial.sequenceId <= line.sequenceId) await ctx.db.delete('live_transcript_lines', partial._id);
			await ctx.db.insert('live_transcript_lines', line);
			return 'added';
		}
		const laterFinal = await ctx.db
			.query('live_transcript_lines')
			.withIndex('by_speaker', (q) => q.eq('callSid', line.callSid).eq('speaker', line.speaker).eq('final', true).gt('sequenceId', line.sequenceId))
			.first();
		if (laterFinal || (partial && partial.sequenceId >= line.sequenceId)) return 'stale';
		if (partial) {
			await ctx.db.patch('live_transcript_lines', partial._id, { ...line });
			return 'replaced';
		}
		await ctx.db.insert('live_transcript_lines', line);
		return 'added';
	}
});

/** transcription-started: sweep lines of calls long over (the local engine has no crons). */
export const started = systemMutation({
	args: { now: v.number() },
	returns: v.number(),
	handler: async (ctx, { now }) => sweep(ctx, now - KEEP_MS)
});

/** transcription-stopped: words never finished are dropped; the final lines stay for the wrap-up. */
export const stopped = systemMutation({
	args: { callSid: v.string() },
	returns: v.null(),
	handler: async (ctx, { callSid }) => {
		for (const speaker of ['customer', 'agent'] as const) {
			const partials = await ctx.db
				.query('live_transcript_lines')
				.withIndex('by_speaker', (q) => q.eq('callSid', callSid).eq('speaker', speaker).eq('final', false))
				.collect();
			for (const row of partials) await ctx.db.delete('live_transcript_lines', row._id);
		}
		return null;
	}
});

async function sweep(ctx: MutationCtx, before: number): Promise<number> {
	const old = await ctx.db
		.query('live_transcript_lines')
		.withIndex('by_at', (q) => q.lt('at', before))
		.take(SWEEP_BATCH);
	for (const row of old) await ctx.db.delete('live_transcript_lines', row._id);
	return old.length;
}

/**
 * A call's running transcript, oldest first: for the agent on the call (while it is in
 * active_calls, wrap-up included) and for managers, supervisors and admins (the wallboard).
 */
export const forCall = agentQuery({
	args: { callSid: v.string() },
	returns: v.array(vShownLine),
	handler: async (ctx, { callSid }) => {
		if (!roleAllows('manager', ctx.caller.role === 'system' ? null : ctx.caller.role)) {
			const active = await activeBySid(ctx, callSid);
			if (active?.agentId !== ctx.caller.userId) fail('FORBIDDEN', 'NOT_YOUR_CALL', 'Only the agent on this call and supervisors can read its live transcript.');
		}
		const newest = await ctx.db
			.query('live_transcript_lines')
			.withIndex('by_callSid', (q) => q.eq('callSid', callSid))
			.order('desc')
			.take(SHOWN_LINES);
		return newest.reverse().map(({ sequenceId, speaker, text, final, at }) => ({ sequenceId, speaker, text, final, at }));
	}
});
