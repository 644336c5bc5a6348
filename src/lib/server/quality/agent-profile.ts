/**
 * One agent's quality page: their submitted review cards (newest first) with the AI grade of
 * each card's call beside it, their average per category over every card, the weekly averages
 * of the last twelve weeks (the trend), and their latest performance summary. Agents open only
 * their own; managers, supervisors and admins any agent's (policy rule `scorecard-reader`;
 * Switchboard has no teams, so a manager's team is every agent).
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { roleAllows } from '$lib/roles';
import { SCORE_CATEGORIES, type AnchorSet, type ScoreCategory } from '$lib/quality/categories';
import type { Db, Tx } from '../db/client';
import { rowsOf } from '../db/rows';
import { user } from '../db/schema/auth';
import { aiGrades, scorecards, type AiCategoryGrade } from '../db/schema/quality';
import { AppError, notFound } from '../errors';
import { anchorVersions } from './anchors';
import { listScorecards, type ScorecardView, type Viewer } from './scorecards';
import { latestSummary, type SummaryView } from './summaries/generate-summary';

export type CategoryAverages = Record<ScoreCategory, number | null>;

export interface WeekAverages {
	/** Monday of the week (UTC), yyyy-mm-dd. */
	week: string;
	cards: number;
	avg: CategoryAverages;
}

export interface AgentProfile {
	agent: { id: string; name: string };
	cards: (ScorecardView & { ai: Partial<Record<ScoreCategory, Pick<AiCategoryGrade, 'score' | 'verified'>>> | null })[];
	anchors: Record<number, AnchorSet>;
	totals: { cards: number; avg: CategoryAverages };
	/** Oldest week first. */
	weeks: WeekAverages[];
	/** Per category: the latest week's average minus the first week's in the window, or null. */
	trend: CategoryAverages;
	summary: SummaryView | null;
}

const COLUMN: Record<ScoreCategory, ReturnType<typeof sql.raw>> = {
	greeting: sql.raw('score_greeting'),
	productKnowledge: sql.raw('score_product_knowledge'),
	problemResolution: sql.raw('score_problem_resolution'),
	professionalism: sql.raw('score_professionalism'),
	closing: sql.raw('score_closing')
};
const round = (v: unknown) => (v == null ? null : Math.round(Number(v) * 100) / 100);
const averagesOf = (r: Record<string, unknown> | undefined): CategoryAverages => Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, round(r?.[c])])) as CategoryAverages;
const avgColumns = SCORE_CATEGORIES.map((c) => sql`avg(${COLUMN[c]})::float8 as ${sql.identifier(c)}`);

export function assertMayReadAgent(viewer: Viewer, agentId: string): void {
	if (roleAllows('manager', viewer.role) || viewer.id === agentId) return;
	throw new AppError('FORBIDDEN', 'NOT_YOUR_SCORECARD', "Agents see only their own quality page, not another agent's.");
}

export const TREND_WEEKS = 12;

export async function agentProfile(db: Db | Tx, viewer: Viewer, agentId: string, opts: { limit?: number; now?: Date } = {}): Promise<AgentProfile> {
	assertMayReadAgent(viewer, agentId);
	const [agent] = await db.select({ id: user.id, name: user.name }).from(user).where(eq(user.id, agentId));
	if (!agent) throw notFound('AGENT_NOT_FOUND', 'No such agent.');
	const since = new Date((opts.now ?? new Date()).getTime() - TREND_WEEKS * 7 * 86_400_000);
	const reviewCards = and(eq(scorecards.agentId, agentId), eq(scorecards.status, 'submitted'), sql`${scorecards.calibrationId} is null`);
	const [cards, totalsRes, weeksRes, summary] = await Promise.all([
		listScorecards(db, viewer, { agentId, limit: opts.limit ?? 50 }),
		db.execute(sql`select count(*)::int as cards, ${sql.join(avgColumns, sql`, `)} from ${scorecards} where ${reviewCards}`),
		db.execute(sql`
			select to_char(date_trunc('week', created_at at time zone 'UTC'), 'YYYY-MM-DD') as week, count(*)::int as cards, ${sql.join(avgColumns, sql`, `)}
			from ${scorecards} where ${reviewCards} and ${scorecards.createdAt} >= ${since.toISOString()}
			group by 1 order by 1`),
		latestSummary(db, viewer, 'agent', agentId)
	]);
	const callIds = cards.map((c) => c.callId);
	const grades = callIds.length
		? await db
				.select({ callId: aiGrades.callId, categories: aiGrades.categories })
				.from(aiGrades)
				.where(and(inArray(aiGrades.callId, callIds), eq(aiGrades.status, 'graded')))
		: [];
	const aiByCall = new Map(grades.map((g) => [g.callId, g.categories]));
	const weeks = rowsOf(weeksRes).map((r) => ({ week: String(r.week), cards: Number(r.cards), avg: averagesOf(r) }));
	const first = weeks[0]?.avg;
	const last = weeks.at(-1)?.avg;
	const trend = Object.fromEntries(
		SCORE_CATEGORIES.map((c) => [c, weeks.length > 1 && first?.[c] != null && last?.[c] != null ? Math.round((last[c] - first[c]) * 100) / 100 : null])
	) as CategoryAverages;
	const [totals] = rowsOf(totalsRes);
	return {
		agent,
		cards: cards.map((card) => {
			const ai = aiByCall.get(card.callId);
			return {
				...card,
				ai: ai ? Object.fromEntries(Object.entries(ai).map(([c, g]) => [c, { score: g.score, verified: g.verified }])) : null
			};
		}),
		anchors: await anchorVersions(db, cards.map((c) => c.anchorVersion)),
		totals: { cards: Number(totals?.cards ?? 0), avg: averagesOf(totals) },
		weeks,
		trend,
		summary
	};
}
