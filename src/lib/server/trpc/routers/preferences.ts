/**
 * The signed-in staff member's own settings (the softphone's "open the record" choice). There is
 * no user id in the input: each person reads and writes only their own row.
 */
import { z } from 'zod';
import { OPEN_RECORD_ON } from '../../db/schema/preferences';
import { getPreferences } from '../../preferences/get-preferences';
import { updatePreferences } from '../../preferences/update-preferences';
import { agentProcedure, router } from '../init';

export const ZPreferences = z.object({ openRecordOn: z.enum(OPEN_RECORD_ON) });
export type TPreferences = z.output<typeof ZPreferences>;

export const ZUpdatePreferencesRequest = z.strictObject(
	{
		openRecordOn: z.enum(OPEN_RECORD_ON, { error: `openRecordOn must be one of: ${OPEN_RECORD_ON.join(', ')}.` })
	},
	{ error: (issue) => (issue.code === 'unrecognized_keys' ? `Only your own settings can be changed here; unknown field(s): ${issue.keys.join(', ')}.` : undefined) }
);
export type TUpdatePreferencesRequest = z.input<typeof ZUpdatePreferencesRequest>;

export const preferencesRouter = router({
	mine: agentProcedure.output(ZPreferences).query(({ ctx }) => getPreferences(ctx.services.db, ctx.user.id)),

	update: agentProcedure
		.input(ZUpdatePreferencesRequest)
		.output(ZPreferences)
		.mutation(({ ctx, input }) => updatePreferences(ctx.services.db, ctx.user.id, input))
});
