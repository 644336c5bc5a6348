/**
 * The Do-Not-Contact audit trail: the first page of the ledger (or of the gate's decisions) for
 * the filters in the URL, and the staff list for the "who" filter. Every staff member may read
 * it; the page offers changes only to managers and up, and the procedures enforce that.
 */
import { TRPCError } from '@trpc/server';
import { roleAllows } from '$lib/roles';
import { failPage } from '../customers/crm-caller.server';
import { complianceCaller } from './compliance-caller.server';
import { attemptQuery, entryQuery, PAGE_SIZE, readFilters } from './filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const filters = readFilters(url.searchParams);
	const api = complianceCaller(locals);
	const actors = await api.actors().catch((cause: unknown) => failPage(cause, url));
	const empty = { entries: [], attempts: [], nextCursor: null };
	try {
		if (filters.view === 'attempts') {
			const page = await api.attempts({ ...attemptQuery(filters), limit: PAGE_SIZE });
			return { filters, actors, ...empty, attempts: page.items, nextCursor: page.nextCursor, problem: null, canManage: roleAllows('manager', locals.user?.role) };
		}
		const page = await api.list({ ...entryQuery(filters), limit: PAGE_SIZE });
		return { filters, actors, ...empty, entries: page.items, nextCursor: page.nextCursor, problem: null, canManage: roleAllows('manager', locals.user?.role) };
	} catch (cause) {
		// A filter the server cannot read (a mistyped number): say so above the empty list.
		if (cause instanceof TRPCError && cause.code === 'BAD_REQUEST') {
			return { filters, actors, ...empty, problem: cause.message, canManage: roleAllows('manager', locals.user?.role) };
		}
		failPage(cause, url);
	}
};
