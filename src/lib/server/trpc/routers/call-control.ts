/**
 * Call control from the softphone and the wallboard: hold and resume (the agent on the call),
 * a third party added or dropped, and supervisors monitoring, whispering or barging in.
 * Each procedure checks its object rule in the domain function it calls (call-control/).
 */
import { z } from 'zod';
import { sidPattern } from '../../../phone-rules';
import { setCallHold } from '../../call-control/hold-call';
import { callParticipants } from '../../call-control/participants';
import { agentProcedure, router } from '../init';

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

	settings: agentProcedure.output(ZSettingsResponse).query(({ ctx }) => ({ holdReminderSeconds: ctx.services.config.holdReminderSeconds }))
});
