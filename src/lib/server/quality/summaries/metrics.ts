/**
 * The numbers a performance summary may state, computed from the archive for one agent or one
 * queue over a period: calls handled, talk, wrap-up and handle time, scorecard averages per
 * category with their change from the previous period of the same length, AI-human agreement,
 * time on hold (call_segments) and transfers that went through (call_transfers: completed, or
 * into a queue).
 */
import { sql } from 'drizzle-orm';
import { SCORE_CATEGORIES, type ScoreCategory } from '$lib/quality/categories';
import type { Db, Tx } from '../../db/client';
import { rowsOf as rows } from '../../db/rows';

export type SummaryScope = 'agent' | 'queue';

export interface Period {
	from: Date;
	to: Date;
}

/** Every value is a number or null (no data); keys are what the text generator sees. */
export type Metrics = Record<string, number | null>;

const COLUMN: Record<ScoreCategory, string> = {
	greeting: 'score_greeting',
	productKnowledge: 'score_product_knowledge',
	problemResolution: 'score_problem_resolution',
	professionalism: 'score_professionalism',
	closing: 'score_closing'
};

const num = (v: unknown): number | null => (v == null ? null : Math.round(Number(v) * 100) / 100);

const subjectFilter = (scope: SummaryScope, subject: string) => (scope === 'agent' ? sql`c.agent_id = ${subject}` : sql`c.queue = ${subject}`);

async function callMetrics(db: Db | Tx, scope: SummaryScope, subject: string, p: Period) {
	const [r] = rows(
		await db.execute(sql`
			select count(*)::int as calls, avg(c.talk_seconds)::float8 as talk, avg(c.wrapup_seconds)::float8 as wrapup,
				avg(coalesce(c.talk_seconds, 0) + coalesce(c.wrapup_seconds, 0))::float8 as handle
			from calls c
			where c.outcome = 'answered' and ${subjectFilter(scope, subject)}
				and c.received_at >= ${p.from.toISOString()} and c.received_at < ${p.to.toISOString()}`)
	);
	return { callsHandled: Number(r?.calls ?? 0), avgTalkSeconds: num(r?.talk), avgWrapupSeconds: num(r?.wrapup), avgHandleSeconds: num(r?.handle) };
}

async function holdAndTransfers(db: Db | Tx, scope: SummaryScope, subject: string, p: Period) {
	const [hold] = rows(
		await db.execute(sql`
			select coalesce(sum(extract(epoch from (coalesce(seg.ended_at, seg.started_at) - seg.started_at))), 0)::float8 as seconds
			from call_segments seg join calls c on c.id = seg.call_id
			where seg.kind = 'hold' and ${subjectFilter(scope, subject)}
				and c.received_at >= ${p.from.toISOString()} and c.received_at < ${p.to.toISOString()}`)
	);
	const by = scope === 'agent' ? sql`t.from_agent_id = ${subject}` : sql`c.queue = ${subject}`;
	const [moved] = rows(
		await db.execute(sql`
			select count(*)::int as n
			from call_transfers t join calls c on c.id = t.call_id
			where t.outcome in ('completed', 'queued') and ${by}
				and t.started_at >= ${p.from.toISOString()} and t.started_at < ${p.to.toISOString()}`)
	);
	return { holdSeconds: num(hold?.seconds) ?? 0, transfers: Number(moved?.n ?? 0) };
}

async function scoreAverages(db: Db | Tx, scope: SummaryScope, subject: string, p: Period) {
	const avgs = SCORE_CATEGORIES.map((c) => sql.raw(`avg(s.${COLUMN[c]})::float8 as "${c}"`));
	const [r] = rows(
		await db.execute(sql`
			select count(*)::int as cards, ${sql.join(avgs, sql`, `)}
			from scorecards s join calls c on c.id = s.call_id
			where s.status = 'submitted' and s.calibration_id is null and ${subjectFilter(scope, subject)}
				and c.received_at >= ${p.from.toISOString()} and c.received_at < ${p.to.toISOString()}`)
	);
	return { cards: Number(r?.cards ?? 0), avg: Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, num(r?.[c])])) as Record<ScoreCategory, number | null> };
}

async function agreement(db: Db | Tx, scope: SummaryScope, subject: string, p: Period): Promise<number | null> {
	const diffs = SCORE_CATEGORIES.map((c) => sql.raw(`abs((g.categories->'${c}'->>'score')::int - s.${COLUMN[c]})`));
	const [r] = rows(
		await db.execute(sql`
			select avg((${sql.join(diffs, sql` + `)}) / 5.0)::float8 as mad
			from ai_grades g join scorecards s on s.call_id = g.call_id and s.status = 'submitted' and s.calibration_id is null
			join calls c on c.id = g.call_id
			where g.status = 'graded' and ${subjectFilter(scope, subject)}
				and c.received_at >= ${p.from.toISOString()} and c.received_at < ${p.to.toISOString()}`)
	);
	return num(r?.mad);
}

export async function computeMetrics(db: Db | Tx, scope: SummaryScope, subject: string, period: Period): Promise<Metrics> {
	const length = period.to.getTime() - period.from.getTime();
	const previous = { from: new Date(period.from.getTime() - length), to: period.from };
	const [callsNow, scores, before, mad, held] = await Promise.all([
		callMetrics(db, scope, subject, period),
		scoreAverages(db, scope, subject, period),
		scoreAverages(db, scope, subject, previous),
		agreement(db, scope, subject, period),
		holdAndTransfers(db, scope, subject, period)
	]);
	const metrics: Metrics = {
		...callsNow,
		totalHoldSeconds: held.holdSeconds,
		avgHoldSeconds: callsNow.callsHandled > 0 ? Math.round((held.holdSeconds / callsNow.callsHandled) * 100) / 100 : null,
		transfers: held.transfers,
		scorecards: scores.cards,
		aiHumanMeanAbsDiff: mad
	};
	for (const c of SCORE_CATEGORIES) {
		const now = scores.avg[c];
		const prev = before.avg[c];
		metrics[`${c}Avg`] = now;
		metrics[`${c}Change`] = now != null && prev != null ? Math.round((now - prev) * 100) / 100 : null;
	}
	return metrics;
}
