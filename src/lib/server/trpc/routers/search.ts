/**
 * Search procedures: the one search box over transcripts and texts (what each role finds is
 * search/search-scope.ts) and the filter choices. A call's transcript comes with the call (calls.detail).
 */
import { z } from 'zod';
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

export const searchRouter = router({
	query: agentProcedure
		.input(ZSearchRequest)
		.output(ZSearchResponse)
		.query(({ ctx, input }) => searchArchive(ctx.services.db, ctx.user, input)),

	filters: agentProcedure.output(ZSearchFilters).query(({ ctx }) => searchFilterChoices(ctx.services.db))
});
