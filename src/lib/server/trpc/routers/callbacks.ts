/**
 * Callback tasks for staff: the list (open tasks in the queues they may take, and their own),
 * claiming one (one winner), closing it with an outcome, or handing it back.
 */
import { z } from 'zod';
import { claimCallbackTask } from '../../callbacks/claim-callback-task';
import { completeCallbackTask, releaseCallbackTask } from '../../callbacks/finish-callback-task';
import { listCallbackTasks } from '../../callbacks/list-callback-tasks';
import { CALLBACK_OUTCOMES, CALLBACK_REASONS, CALLBACK_STATUSES } from '../../db/schema/callbacks';
import { agentProcedure, router } from '../init';
import { ZRecordingView, ZTranscriptView } from './calls';

export const ZCallbackTask = z.object({
	id: z.string(),
	callId: z.string(),
	queue: z.string(),
	reason: z.enum(CALLBACK_REASONS),
	customerId: z.string().nullable(),
	customerName: z.string().nullable(),
	callerNumber: z.string(),
	waitSeconds: z.int().nullable(),
	status: z.enum(CALLBACK_STATUSES),
	claimedBy: z.string().nullable(),
	claimedByName: z.string().nullable(),
	claimedAt: z.iso.datetime().nullable(),
	completedByName: z.string().nullable(),
	completedAt: z.iso.datetime().nullable(),
	outcome: z.enum(CALLBACK_OUTCOMES).nullable(),
	notes: z.string(),
	createdAt: z.iso.datetime(),
	recording: ZRecordingView,
	transcript: ZTranscriptView
});
export type TCallbackTask = z.output<typeof ZCallbackTask>;

export const ZCallbackListResponse = z.object({ queues: z.array(z.string()), open: z.array(ZCallbackTask), mine: z.array(ZCallbackTask) });
export type TCallbackListResponse = z.output<typeof ZCallbackListResponse>;

export const ZCallbackTaskRequest = z.object({ taskId: z.uuid({ error: 'taskId must be a callback task id.' }) });
export type TCallbackTaskRequest = z.input<typeof ZCallbackTaskRequest>;

export const ZCompleteCallbackRequest = ZCallbackTaskRequest.extend({
	outcome: z.enum(CALLBACK_OUTCOMES, { error: `Pick an outcome: ${CALLBACK_OUTCOMES.join(', ')}.` }),
	notes: z.string().trim().max(4000, { error: 'Notes are at most 4000 characters.' }).default('')
});
export type TCompleteCallbackRequest = z.input<typeof ZCompleteCallbackRequest>;

export const callbacksRouter = router({
	list: agentProcedure.output(ZCallbackListResponse).query(({ ctx }) => listCallbackTasks(ctx.services.db, ctx.user)),

	claim: agentProcedure
		.input(ZCallbackTaskRequest)
		.output(ZCallbackTask)
		.mutation(({ ctx, input }) => claimCallbackTask(ctx.services.db, ctx.user, input.taskId)),

	complete: agentProcedure
		.input(ZCompleteCallbackRequest)
		.output(ZCallbackTask)
		.mutation(({ ctx, input }) => completeCallbackTask(ctx.services.db, ctx.user, input)),

	release: agentProcedure
		.input(ZCallbackTaskRequest)
		.output(ZCallbackTask)
		.mutation(({ ctx, input }) => releaseCallbackTask(ctx.services.db, ctx.user, input.taskId))
});
