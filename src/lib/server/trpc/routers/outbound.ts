/** Outbound calling: the gate's pre-check the Call and Text buttons run before anything reaches the carrier. */
import { z } from 'zod';
import { precheckDial } from '../../outbound/precheck-dial';
import { agentProcedure, router } from '../init';

export const ZPrecheckRequest = z.object({
	to: z.string().max(64, 'A phone number is at most 64 characters.'),
	channel: z.enum(['voice', 'sms']).default('voice')
});

export const ZPrecheckResponse = z.object({
	ok: z.boolean(),
	e164: z.string().nullable(),
	rule: z.string().nullable(),
	message: z.string().nullable(),
	recipientLocalTime: z.string().nullable(),
	timeZone: z.string().nullable(),
	opensAt: z.string().nullable()
});

export const outboundRouter = router({
	precheck: agentProcedure
		.input(ZPrecheckRequest)
		.output(ZPrecheckResponse)
		.mutation(({ ctx, input }) => precheckDial(ctx.services, { actorId: ctx.user.id, to: input.to, channel: input.channel }))
});
