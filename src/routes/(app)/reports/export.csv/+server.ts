/** GET /reports/export.csv?<the page's filters>[&table=agents]: the table on screen as CSV, cell for cell (escaped as the DNC export is). */
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { roleAllows } from '$lib/roles';
import { agentRow, AGENT_HEADERS, INTERVAL_HEADERS, intervalRow } from '$lib/reporting/history-table';
import { toCsv } from '$lib/server/compliance/csv';
import { reportsCaller } from '../reports-caller.server';
import { readReportFilters } from '../filters';
import { csvDownload } from '$lib/server/http/responses';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals, url }) => {
	try {
		const user = locals.user;
		const filters = readReportFilters(url.searchParams, { id: user?.id ?? '', isManager: roleAllows('manager', user?.role) });
		const report = await reportsCaller(locals).history(filters);
		const agents = url.searchParams.get('table') === 'agents';
		const csv = agents ? toCsv(AGENT_HEADERS, report.agents.map((a) => agentRow(a.name, a.figures, a.scores))) : toCsv(INTERVAL_HEADERS, report.points.map((p) => intervalRow(p.label, p.figures)));
		const filename = `switchboard-${agents ? 'agents' : 'intervals'}-${filters.from}-to-${filters.to}-${filters.interval}.csv`;
		return csvDownload(filename, csv);
	} catch (cause) {
		if (!(cause instanceof TRPCError)) throw cause;
		return new Response(`${cause.message}\n`, { status: getHTTPStatusCodeFromError(cause), headers: { 'content-type': 'text/plain; charset=utf-8' } });
	}
};
