/**
 * Call procedures for staff: the wrap-up form (disposition, notes; frees the agent in hot state)
 * and a short-lived signed URL to play a call's recording from the timeline.
 */
import { z } from 'zod';
import { recordingUrl } from '../../voice/recording-url';
import { wrapUpCall } from '../../voice/wrap-up-call';
import { agentProcedure, router } from '../init';

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

export const ZWrapUpRequest = z.object({
	callSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, {
		error: 'callSid must be CA followed by 32 hex digits.'
	}),
	disposition: z.string().trim().min(1, { error: 'Pick a disposition.' }).max(64, { error: 'A disposition is at most 64 characters.' }),
	notes: z.string().trim().max(4000, { error: 'Notes are at most 4000 characters.' }).default('')
});
export type TWrapUpRequest = z.input<typeof ZWrapUpRequest>;
export const ZWrapUpResponse = z.object({
	callId: z.string(),
	wrapupSeconds: z.int(),
	activityId: z.string().nullable()
});

export const callsRouter = router({
	recordingUrl: agentProcedure
		.input(ZRecordingUrlRequest)
		.output(ZRecordingUrlResponse)
		.query(async ({ ctx, input }) => {
			const result = await recordingUrl({ db: ctx.services.db, storage: ctx.services.adapters.storage }, input.callId);
			return { ...result, expiresAt: result.expiresAt.toISOString() };
		}),

	wrapUp: agentProcedure
		.input(ZWrapUpRequest)
		.output(ZWrapUpResponse)
		.mutation(({ ctx, input }) => wrapUpCall(ctx.services, { subject: ctx.user.id, role: ctx.user.role, name: ctx.user.name }, input))
});
