import { TRPCError } from '@trpc/server';
import { roleAllows } from '$lib/roles';
import { reportsCaller } from './reports-caller.server';
import { readReportFilters } from './filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = locals.user;
	const isManager = roleAllows('manager', user?.role);
	const filters = readReportFilters(url.searchParams, { id: user?.id ?? '', isManager });
	try {
		return { filters, isManager, report: await reportsCaller(locals).history(filters), error: null };
	} catch (cause) {
		// Bad filters are the user's to fix: the page shows why, with the form, never a 500.
		if (!(cause instanceof TRPCError)) throw cause;
		return { filters, isManager, report: null, error: cause.message };
	}
};
