/**
 * Search procedures: the one search box over transcripts and texts (what each role finds is
 * search/search-scope.ts), the filter choices, and a call's transcript for the transcript view.
 */
import { z } from 'zod';
import { TRANSCRIPT_SPEAKERS, TRANSCRIPT_STATUSES } from '../../db/schema/transcripts';
import { readCallTranscript } from '../../search/call-transcript';
import { searchArchive } from '../../search/search-archive';
import { searchFilterChoices } from '../../search/search-filters';
import { ZSearchRequest, ZSearchResponse } from '../../search/search-request';
import { agentProcedure, router } from '../init';

export { ZSearchRequest, ZSearchResponse };

export const ZSearchFilters = z.object({
	agents: z.array(z.object({ id: z.string(), name: z.string() })),
	queues: z.array(z.string())
});
export type TSearchFilters = z.output<typeof ZSearchFilters>;

export const ZTranscriptRequest = z.object({ callId: z.uuid({ error: 'callId must be a call id.' }) });
export type TTranscriptRequest = z.input<typeof ZTranscriptRequest>;
export const ZTranscriptView = z.object({
	status: z.enum([...TRANSCRIPT_STATUSES, 'none']),
	lines: z.array(z.object({ speaker: z.enum(TRANSCRIPT_SPEAKERS), start: z.number(), end: z.number(), text: z.string() })),
	language: z.string().nullable(),
	engine: z.string().nullable(),
	model: z.string().nullable()
});
export type TTranscriptView = z.output<typeof ZTranscriptView>;

export const searchRouter = router({
	query: agentProcedure
		.input(ZSearchRequest)
		.output(ZSearchResponse)
		.query(({ ctx, input }) => searchArchive(ctx.services.db, ctx.user, input)),

	filters: agentProcedure.output(ZSearchFilters).query(({ ctx }) => searchFilterChoices(ctx.services.db)),

	transcript: agentProcedure
		.input(ZTranscriptRequest)
		.output(ZTranscriptView)
		.query(({ ctx, input }) => readCallTranscript(ctx.services.db, ctx.user, input.callId))
});
