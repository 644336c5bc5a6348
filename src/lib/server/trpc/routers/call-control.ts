/**
 * Call control from the softphone and the wallboard: hold and resume (the agent on the call),
 * a third party added or dropped, and supervisors monitoring, whispering or barging in.
 * Each procedure checks its object rule in the domain function it calls (call-control/).
 */
import { z } from 'zod';
import { sidPattern } from '../../../phone-rules';
import { addParticipant, dropParticipant } from '../../call-control/add-participant';
import { setCallHold } from '../../call-control/hold-call';
import { monitorCall, stopMonitor } from '../../call-control/monitor-call';
import { callParticipants } from '../../call-control/participants';
import { agentProcedure, managerProcedure, router } from '../init';

const ZCallSid = z.string().regex(sidPattern('CA'), 'callSid must be CA followed by 32 hex digits.');

export const ZHoldRequest = z.object({ callSid: ZCallSid });
export const ZHoldResponse = z.object({ callSid: z.string(), held: z.boolean(), heldSeconds: z.int() });

export const ZParticipantsRequest = z.object({ callSid: ZCallSid });
export const ZParticipantsResponse = z.object({
	callSid: z.string(),
	inConference: z.boolean(),
	participants: z.array(
		z.object({ callSid: z.string(), kind: z.enum(['customer', 'agent', 'supervisor', 'external', 'unknown']), label: z.string(), name: z.string(), hold: z.boolean(), muted: z.boolean(), coaching: z.boolean() })
	)
});

export const ZAddParticipantRequest = z.object({
	callSid: ZCallSid,
	target: z.union([z.object({ agentId: z.string().min(1).max(64) }), z.object({ number: z.string().min(1).max(64, 'A phone number is at most 64 characters.') })])
});
export const ZAddParticipantResponse = z.object({ callSid: z.string(), participantCallSid: z.string(), label: z.string() });
export const ZDropParticipantRequest = z.object({ callSid: ZCallSid, participantCallSid: ZCallSid });
export const ZDropParticipantResponse = z.object({ callSid: z.string(), dropped: z.string() });
export const ZMonitorRequest = z.object({ callSid: ZCallSid, mode: z.enum(['monitor', 'whisper', 'barge']) });
export const ZMonitorResponse = z.object({ callSid: z.string(), participantCallSid: z.string(), mode: z.enum(['monitor', 'whisper', 'barge']) });
export const ZStopMonitorRequest = z.object({ callSid: ZCallSid });
export const ZStopMonitorResponse = z.object({ callSid: z.string(), stopped: z.string() });

export const ZSettingsResponse = z.object({ holdReminderSeconds: z.int() });

export const callControlRouter = router({
	hold: agentProcedure
		.input(ZHoldRequest)
		.output(ZHoldResponse)
		.mutation(({ ctx, input }) => setCallHold(ctx.services, ctx.user, { callSid: input.callSid, held: true })),

	resume: agentProcedure
		.input(ZHoldRequest)
		.output(ZHoldResponse)
		.mutation(({ ctx, input }) => setCallHold(ctx.services, ctx.user, { callSid: input.callSid, held: false })),

	participants: agentProcedure
		.input(ZParticipantsRequest)
		.output(ZParticipantsResponse)
		.query(({ ctx, input }) => callParticipants(ctx.services, ctx.user, input.callSid)),

	addParticipant: agentProcedure
		.input(ZAddParticipantRequest)
		.output(ZAddParticipantResponse)
		.mutation(({ ctx, input }) => addParticipant(ctx.services, ctx.user, input)),

	dropParticipant: agentProcedure
		.input(ZDropParticipantRequest)
		.output(ZDropParticipantResponse)
		.mutation(({ ctx, input }) => dropParticipant(ctx.services, ctx.user, input)),

	monitor: managerProcedure
		.input(ZMonitorRequest)
		.output(ZMonitorResponse)
		.mutation(({ ctx, input }) => monitorCall(ctx.services, ctx.user, input)),

	stopMonitor: managerProcedure
		.input(ZStopMonitorRequest)
		.output(ZStopMonitorResponse)
		.mutation(({ ctx, input }) => stopMonitor(ctx.services, ctx.user, input)),

	settings: agentProcedure.output(ZSettingsResponse).query(({ ctx }) => ({ holdReminderSeconds: ctx.services.config.holdReminderSeconds }))
});
