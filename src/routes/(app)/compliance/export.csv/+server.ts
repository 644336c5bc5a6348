/** GET /compliance/export.csv?<the trail's filters>: the ledger as a CSV download (managers and supervisors). */
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { complianceCaller } from '../compliance-caller.server';
import { entryQuery, readFilters } from '../filters';
import { csvDownload } from '$lib/server/http/responses';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	try {
		const api = complianceCaller(locals);
		const { filename, csv } = await api.exportCsv(entryQuery(readFilters(url.searchParams)));
		return csvDownload(filename, csv);
	} catch (cause) {
		if (!(cause instanceof TRPCError)) throw cause;
		return new Response(`${cause.message}\n`, {
			status: getHTTPStatusCodeFromError(cause),
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
};
