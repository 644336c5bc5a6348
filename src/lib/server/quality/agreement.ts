/**
 * How far to trust the AI: over every call with both a graded AI grade and a submitted human
 * review scorecard (calibration scores excluded), per category the mean absolute difference
 * and the share within one point, and the calls where they disagree most (summed over the
 * categories). When a call has several human cards, their mean is the human score.
 */
import { sql } from 'drizzle-orm';
import { SCORE_CATEGORIES, type ScoreCategory } from '$lib/quality/categories';
import type { Db, Tx } from '../db/client';
import { rowsOf } from '../db/rows';
import { assertGrader, type Viewer } from './scorecards';

export interface AgreementReport {
	calls: number;
	perCategory: Record<ScoreCategory, { pairs: number; meanAbsDiff: number | null; withinOne: number | null }>;
	mostDisagreeing: { callId: string; agentName: string | null; totalDiff: number; diffs: Record<ScoreCategory, number | null> }[];
}

const COLUMN: Record<ScoreCategory, string> = {
	greeting: 'score_greeting',
	productKnowledge: 'score_product_knowledge',
	problemResolution: 'score_problem_resolution',
	professionalism: 'score_professionalism',
	closing: 'score_closing'
};

interface PairRow {
	call_id: string;
	agent_name: string | null;
	[key: string]: unknown;
}

export async function agreementReport(db: Db | Tx, viewer: Viewer, filter: { from?: Date; to?: Date; agentId?: string } = {}, worst = 10): Promise<AgreementReport> {
	assertGrader(viewer);
	const humans = SCORE_CATEGORIES.map((c) => sql.raw(`avg(s.${COLUMN[c]})::float8 as "h_${c}"`));
	const ai = SCORE_CATEGORIES.map((c) => sql.raw(`(g.categories->'${c}'->>'score')::int as "a_${c}"`));
	const res = await db.execute(sql`
		select c.id as call_id, u.name as agent_name, ${sql.join(humans, sql`, `)}, ${sql.join(ai, sql`, `)}
		from ai_grades g
		join scorecards s on s.call_id = g.call_id and s.status = 'submitted' and s.calibration_id is null
		join calls c on c.id = g.call_id
		left join "user" u on u.id = c.agent_id
		where g.status = 'graded'
			${filter.from ? sql`and c.received_at >= ${filter.from.toISOString()}` : sql``}
			${filter.to ? sql`and c.received_at < ${filter.to.toISOString()}` : sql``}
			${filter.agentId ? sql`and c.agent_id = ${filter.agentId}` : sql``}
		group by c.id, u.name, g.categories`);
	const rows = rowsOf<PairRow>(res);
	return summarise(rows, worst);
}

function summarise(rows: PairRow[], worst: number): AgreementReport {
	const perCategory = {} as AgreementReport['perCategory'];
	const perCall = rows.map((r) => {
		const diffs = Object.fromEntries(
			SCORE_CATEGORIES.map((c) => {
				const h = r[`h_${c}`];
				const a = r[`a_${c}`];
				return [c, h == null || a == null ? null : Math.abs(Number(a) - Number(h))];
			})
		) as Record<ScoreCategory, number | null>;
		const totalDiff = Object.values(diffs).reduce<number>((sum, d) => sum + (d ?? 0), 0);
		return { callId: r.call_id, agentName: r.agent_name, totalDiff: round(totalDiff), diffs };
	});
	for (const c of SCORE_CATEGORIES) {
		const diffs = perCall.map((p) => p.diffs[c]).filter((d): d is number => d != null);
		perCategory[c] = {
			pairs: diffs.length,
			meanAbsDiff: diffs.length ? round(diffs.reduce((a, b) => a + b, 0) / diffs.length) : null,
			withinOne: diffs.length ? round(diffs.filter((d) => d <= 1).length / diffs.length) : null
		};
	}
	const mostDisagreeing = [...perCall].sort((a, b) => b.totalDiff - a.totalDiff).filter((p) => p.totalDiff > 0).slice(0, worst);
	return { calls: rows.length, perCategory, mostDisagreeing };
}

const round = (n: number) => Math.round(n * 100) / 100;
