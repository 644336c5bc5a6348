/**
 * Reporting procedures: the history report (agents: only their own figures) and the wallboard's
 * current snapshot (managers, supervisors, admins; updates then come over its event stream).
 */
import { z } from 'zod';
import { asc, eq, inArray } from 'drizzle-orm';
import { user } from '../../db/schema/auth';
import { voiceQueues } from '../../db/schema/calls';
import { INTERVALS } from '../../reporting/buckets';
import { bucketLabel } from '../../reporting/bucket-label';
import { queryHistory, type HistoryReport } from '../../reporting/query-history';
import { assertMayReadFigures } from '../../reporting/report-access';
import type { SeriesPoint } from '../../reporting/history-series';
import { agentScoreAverages, type AgentScoreAverages } from '../../quality/agent-score-averages';
import { agentProcedure, managerProcedure, router } from '../init';
import type { Figures } from '$lib/reporting/metrics';

const ZDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Write days as YYYY-MM-DD, e.g. 2026-12-01.');

export const ZHistoryRequest = z.object({
	from: ZDay,
	to: ZDay,
	interval: z.enum(INTERVALS, { error: 'Choose an interval: 15m, hour, day or week.' }),
	queues: z.array(z.string().max(64)).max(50).default([]),
	agents: z.array(z.string().max(64)).max(200).default([])
});
export type THistoryRequest = z.input<typeof ZHistoryRequest>;

export interface HistoryPointView {
	start: string;
	label: string;
	figures: Figures;
}

export interface HistoryView {
	timeZone: string;
	interval: HistoryReport['interval'];
	points: HistoryPointView[];
	previous: HistoryPointView[];
	totals: Figures;
	previousTotals: Figures;
	/** `scores`: scorecard averages per category over calls received in the range (null: none reviewed). */
	agents: { agentId: string; name: string; figures: Figures; scores: AgentScoreAverages | null }[];
	options: { queues: string[]; agents: { id: string; name: string }[] };
}

const view = (points: SeriesPoint[], report: HistoryReport): HistoryPointView[] =>
	points.map((p) => ({ start: p.start.toISOString(), label: bucketLabel(p.start, report.interval, report.timeZone), figures: p.figures }));

export const reportsRouter = router({
	history: agentProcedure.input(ZHistoryRequest).query(async ({ ctx, input }): Promise<HistoryView> => {
		assertMayReadFigures(ctx.user, input.agents);
		const { db, config } = ctx.services;
		const report = await queryHistory(db, input, config.reportingTimeZone);
		const isManager = ctx.user.role !== 'agent';
		const [queues, staff, scores] = await Promise.all([
			db.select({ name: voiceQueues.name }).from(voiceQueues).orderBy(asc(voiceQueues.name)),
			isManager ? db.select({ id: user.id, name: user.name }).from(user).where(inArray(user.role, ['agent', 'manager', 'supervisor'])).orderBy(asc(user.name)) : db.select({ id: user.id, name: user.name }).from(user).where(eq(user.id, ctx.user.id)),
			agentScoreAverages(
				db,
				report.agents.map((a) => a.agentId),
				report
			)
		]);
		return {
			timeZone: report.timeZone,
			interval: report.interval,
			points: view(report.points, report),
			previous: view(report.previous, report),
			totals: report.totals,
			previousTotals: report.previousTotals,
			agents: report.agents.map((a) => ({ ...a, scores: scores.get(a.agentId) ?? null })),
			options: { queues: [...new Set(queues.map((q) => q.name))], agents: staff }
		};
	}),
	wallboard: managerProcedure.query(({ ctx }) => ctx.services.wallboard.current())
});
