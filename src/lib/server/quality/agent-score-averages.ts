/**
 * Scorecard averages per category for several agents over a period (calls received in it): the
 * reports' agent table shows them beside the call figures. Submitted review cards only.
 */
import { sql } from 'drizzle-orm';
import { SCORE_CATEGORIES, type ScoreCategory } from '$lib/quality/categories';
import type { Db, Tx } from '../db/client';
import { rowsOf } from '../db/rows';

export interface AgentScoreAverages {
	cards: number;
	avg: Record<ScoreCategory, number | null>;
}

const COLUMN: Record<ScoreCategory, string> = {
	greeting: 'score_greeting',
	productKnowledge: 'score_product_knowledge',
	problemResolution: 'score_problem_resolution',
	professionalism: 'score_professionalism',
	closing: 'score_closing'
};

export async function agentScoreAverages(db: Db | Tx, agentIds: readonly string[], period: { from: Date; to: Date }): Promise<Map<string, AgentScoreAverages>> {
	if (!agentIds.length) return new Map();
	const avgs = SCORE_CATEGORIES.map((c) => sql.raw(`avg(s.${COLUMN[c]})::float8 as "${c}"`));
	const res = await db.execute(sql`
		select s.agent_id, count(*)::int as cards, ${sql.join(avgs, sql`, `)}
		from scorecards s join calls c on c.id = s.call_id
		where s.status = 'submitted' and s.calibration_id is null
			and s.agent_id in (${sql.join(
				agentIds.map((id) => sql`${id}`),
				sql`, `
			)})
			and c.received_at >= ${period.from.toISOString()} and c.received_at < ${period.to.toISOString()}
		group by s.agent_id`);
	const rows = rowsOf(res);
	return new Map(
		rows.map((r) => [
			String(r.agent_id),
			{
				cards: Number(r.cards),
				avg: Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, r[c] == null ? null : Math.round(Number(r[c]) * 100) / 100])) as Record<ScoreCategory, number | null>
			}
		])
	);
}
