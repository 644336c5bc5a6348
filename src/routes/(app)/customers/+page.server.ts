import { TRPCError } from '@trpc/server';
import type { CustomerKind } from '$lib/server/db/schema/crm';
import { MAX_SEARCH_OFFSET, MAX_SEARCH_QUERY_LENGTH } from '$lib/server/crm/search-customers';
import { crmCaller, failPage } from './crm-caller.server';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 25;

export const load: PageServerLoad = async ({ locals, url }) => {
	const q = (url.searchParams.get('q') ?? '').slice(0, MAX_SEARCH_QUERY_LENGTH);
	const kindParam = url.searchParams.get('kind');
	const kind: CustomerKind | null = kindParam === 'customer' || kindParam === 'lead' ? kindParam : null;
	const offset = Math.min(Math.max(Math.trunc(Number(url.searchParams.get('offset')) || 0), 0), MAX_SEARCH_OFFSET);
	const api = crmCaller(locals);
	try {
		const result = await api.search({ query: q, kind: kind ?? undefined, offset, limit: PAGE_SIZE });
		return { q, kind, offset, pageSize: PAGE_SIZE, result, error: null };
	} catch (cause) {
		// A bad search shows its message in place; anything else (signed out, server down) is a page error.
		if (cause instanceof TRPCError && cause.code === 'BAD_REQUEST') {
			return { q, kind, offset, pageSize: PAGE_SIZE, result: null, error: cause.message };
		}
		failPage(cause, url);
	}
};
