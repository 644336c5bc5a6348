/** GET /compliance/export.csv?<the trail's filters>: the ledger as a CSV download (managers and supervisors). */
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { complianceCaller } from '../compliance-caller.server';
import { entryQuery, readFilters } from '../filters';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	try {
		const api = complianceCaller(locals);
		const { filename, csv } = await api.exportCsv(entryQuery(readFilters(url.searchParams)));
		// The byte-order mark makes spreadsheets read the file as UTF-8 (names with accents).
		return new Response(`\uFEFF${csv}`, {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="${filename}"`,
				'cache-control': 'no-store',
				'x-content-type-options': 'nosniff'
			}
		});
	} catch (cause) {
		if (!(cause instanceof TRPCError)) throw cause;
		return new Response(`${cause.message}\n`, {
			status: getHTTPStatusCodeFromError(cause),
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
};
