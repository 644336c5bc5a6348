/** The report's filters as URL parameters (the page, its links and the CSV export share them). */
import type { THistoryRequest } from '$lib/server/trpc/routers/reports';

const iso = (d: Date) => d.toISOString().slice(0, 10);

export function readReportFilters(params: URLSearchParams, self: { id: string; isManager: boolean }, today = new Date()): THistoryRequest {
	const weekAgo = new Date(today.getTime() - 6 * 86_400_000);
	const interval = params.get('interval') ?? 'day';
	const agents = params.getAll('agent');
	return {
		from: params.get('from') ?? iso(weekAgo),
		to: params.get('to') ?? iso(today),
		interval: interval as THistoryRequest['interval'],
		queues: params.getAll('queue'),
		// An agent's report is their own unless they ask for someone else's (which is refused, with why).
		agents: agents.length || self.isManager ? agents : [self.id]
	};
}
