/**
 * Call procedures for staff: the wrap-up form (disposition, notes; frees the agent in hot state)
 * and its "Ready now" (frees the agent before the queue's wrap-up time, the form still to save),
 * a call's details as the timeline shows them (polled while its recording or transcript is
 * processing), a short-lived signed URL to play its recording, asked for only when someone
 * presses play, and a manager's retry of a failed transcript.
 */
import { z } from 'zod';
import { sidPattern } from '../../../phone-rules';
import { CALL_DIRECTIONS, CALL_OUTCOMES } from '../../db/schema/calls';
import { TRANSCRIPT_SPEAKERS, TRANSCRIPT_STATUSES } from '../../db/schema/transcripts';
import { retryTranscription } from '../../transcripts/retry-transcription';
import { assertMayHearCall, audibleCalls, withoutPrivateParts } from '../../calls/call-access';
import { getCallDetail } from '../../calls/call-details';
import { endWrapUpEarly } from '../../calls/end-wrap-up-early';
import { recordingUrl } from '../../calls/recording-url';
import { setCallRecording } from '../../calls/set-call-recording';
import { wrapUpCall } from '../../calls/wrap-up-call';
import { agentProcedure, managerProcedure, router } from '../init';

export const ZRecordingUrlRequest = z.object({
	callId: z.uuid({ error: 'callId must be a call id.' })
});
export type TRecordingUrlRequest = z.input<typeof ZRecordingUrlRequest>;
export const ZRecordingUrlResponse = z.object({
	url: z.string(),
	expiresAt: z.iso.datetime(),
	durationSeconds: z.int().nullable(),
	channels: z.int().nullable()
});

export const ZRecordingView = z.discriminatedUnion('status', [
	z.object({ status: z.literal('none') }),
	z.object({ status: z.literal('processing'), attempts: z.int(), lastError: z.string().nullable() }),
	z.object({ status: z.literal('stored'), seconds: z.int().nullable(), channels: z.int().nullable() }),
	z.object({ status: z.literal('failed'), attempts: z.int(), lastError: z.string().nullable() })
]);
export const ZTranscriptView = z.object({
	status: z.enum(['none', ...TRANSCRIPT_STATUSES]),
	attempts: z.int(),
	reason: z.string().nullable(),
	language: z.string().nullable(),
	engine: z.string().nullable(),
	model: z.string().nullable(),
	lines: z.array(z.object({ speaker: z.enum(TRANSCRIPT_SPEAKERS), start: z.number(), end: z.number(), text: z.string() }))
});
export type TTranscriptView = z.output<typeof ZTranscriptView>;

export const ZRetryTranscriptRequest = z.object({ callId: z.uuid({ error: 'callId must be a call id.' }) });
export type TRetryTranscriptRequest = z.input<typeof ZRetryTranscriptRequest>;
export const ZRetryTranscriptResponse = z.object({ transcriptId: z.string(), status: z.literal('queued') });

export const ZCallDetail = z.object({
	callId: z.string(),
	callSid: z.string(),
	direction: z.enum(CALL_DIRECTIONS),
	outcome: z.enum(CALL_OUTCOMES).nullable(),
	queue: z.string().nullable(),
	agentId: z.string().nullable(),
	agentName: z.string().nullable(),
	missedBy: z.array(z.string()),
	from: z.string(),
	waitSeconds: z.int().nullable(),
	talkSeconds: z.int().nullable(),
	wrapupSeconds: z.int().nullable(),
	disposition: z.string().nullable(),
	notes: z.string(),
	recording: ZRecordingView,
	transcript: ZTranscriptView
});
export type TCallDetail = z.output<typeof ZCallDetail>;

export const ZCallDetailRequest = z.object({ callId: z.uuid({ error: 'callId must be a call id.' }) });
export type TCallDetailRequest = z.input<typeof ZCallDetailRequest>;

const ZCallSid = z.string().regex(sidPattern('CA', { anyCase: true }), { error: 'callSid must be CA followed by 32 hex digits.' });

export const ZSetRecordingRequest = z.object({ callSid: ZCallSid, paused: z.boolean() });
export type TSetRecordingRequest = z.input<typeof ZSetRecordingRequest>;
export const ZSetRecordingResponse = z.object({ callSid: z.string(), recording: z.enum(['on', 'paused']) });

export const ZWrapUpRequest = z.object({
	callSid: ZCallSid,
	disposition: z.string().trim().min(1, { error: 'Pick a disposition.' }).max(64, { error: 'A disposition is at most 64 characters.' }),
	notes: z.string().trim().max(4000, { error: 'Notes are at most 4000 characters.' }).default('')
});
export type TWrapUpRequest = z.input<typeof ZWrapUpRequest>;
export const ZWrapUpResponse = z.object({
	callId: z.string(),
	wrapupSeconds: z.int(),
	activityId: z.string().nullable()
});

export const ZReadyNowRequest = z.object({ callSid: ZCallSid });
export type TReadyNowRequest = z.input<typeof ZReadyNowRequest>;
export const ZReadyNowResponse = z.object({ callSid: z.string(), readyAt: z.iso.datetime() });

export const callsRouter = router({
	detail: agentProcedure
		.input(ZCallDetailRequest)
		.output(ZCallDetail)
		.query(async ({ ctx, input }) => {
			const detail = await getCallDetail(ctx.services.db, input.callId);
			return (await audibleCalls(ctx.services.db, ctx.user, [detail.callId])).has(detail.callId) ? detail : withoutPrivateParts(detail);
		}),

	recordingUrl: agentProcedure
		.input(ZRecordingUrlRequest)
		.output(ZRecordingUrlResponse)
		.query(async ({ ctx, input }) => {
			await assertMayHearCall(ctx.services.db, ctx.user, input.callId);
			const result = await recordingUrl({ db: ctx.services.db, storage: ctx.services.adapters.storage }, input.callId);
			return { ...result, expiresAt: result.expiresAt.toISOString() };
		}),

	/** A manager queues a failed transcript again (or a stored recording's first one). */
	retryTranscript: managerProcedure
		.input(ZRetryTranscriptRequest)
		.output(ZRetryTranscriptResponse)
		.mutation(({ ctx, input }) => retryTranscription({ db: ctx.services.db, jobs: ctx.services.jobs }, input.callId)),

	setRecording: agentProcedure
		.input(ZSetRecordingRequest)
		.output(ZSetRecordingResponse)
		.mutation(({ ctx, input }) => setCallRecording(ctx.services, ctx.user, input)),

	/** "Ready now": end wrap-up before the queue's wrap-up time; the form still saves afterwards. */
	readyNow: agentProcedure
		.input(ZReadyNowRequest)
		.output(ZReadyNowResponse)
		.mutation(async ({ ctx, input }) => {
			const result = await endWrapUpEarly(ctx.services, { subject: ctx.user.id, role: ctx.user.role, name: ctx.user.name }, input.callSid);
			return { callSid: result.callSid, readyAt: result.readyAt.toISOString() };
		}),

	wrapUp: agentProcedure
		.input(ZWrapUpRequest)
		.output(ZWrapUpResponse)
		.mutation(({ ctx, input }) => wrapUpCall(ctx.services, { subject: ctx.user.id, role: ctx.user.role, name: ctx.user.name }, input))
});
