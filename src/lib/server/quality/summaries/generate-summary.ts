/**
 * Performance summaries: the metrics for an agent or a queue over a period (metrics.ts), then
 * a short text written from those metrics only. The text is checked number by number against
 * them (number-check.ts); a text stating any other number is regenerated (three attempts) and,
 * if every attempt invents one, the summary is stored refused with the numbers at fault and no
 * text at all, so nothing unchecked is ever shown.
 */
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { roleAllows } from '$lib/roles';
import { CATEGORY_LABELS, SCORE_CATEGORIES } from '$lib/quality/categories';
import type { LanguageAiPort } from '../../adapters/language-ai';
import type { Db, Tx } from '../../db/client';
import { user } from '../../db/schema/auth';
import { performanceSummaries } from '../../db/schema/quality';
import { AppError, badRequest } from '../../errors';
import type { Viewer } from '../scorecards';
import { computeMetrics, type Metrics, type Period, type SummaryScope } from './metrics';
import { unsupportedNumbers } from './number-check';

export const MAX_ATTEMPTS = 3;

const ZSummary = z.object({ summary: z.string().min(1).max(1500) });

const SYSTEM = [
	'You write a short performance summary (three to five sentences) for a call-center manager.',
	'Use ONLY the numbers in the metrics JSON you are given, written as they appear there (you may round to one decimal, give seconds as whole minutes, or ratios as percentages).',
	'Never state any other number, count or date, and never compute new figures (no sums, differences or percentages of your own).',
	'Metrics that are null have no data: say so in words or leave them out. Scores are out of 5; a Change is the difference from the previous period.'
].join(' ');

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0$/, ''));

/** The offline text: the same rules, as a template over the metrics. */
export function templateSummary(name: string, m: Metrics): string {
	const parts = [`${name} handled ${m.callsHandled ?? 0} answered calls in this period.`];
	if (m.avgHandleSeconds != null) parts.push(`Average handle time was ${fmt(m.avgHandleSeconds)} seconds (talk ${fmt(m.avgTalkSeconds ?? 0)}, wrap-up ${fmt(m.avgWrapupSeconds ?? 0)}).`);
	if (!m.scorecards) parts.push('No calls were reviewed on a scorecard.');
	else {
		const scored = SCORE_CATEGORIES.filter((c) => m[`${c}Avg`] != null);
		const best = [...scored].sort((a, b) => (m[`${b}Avg`] ?? 0) - (m[`${a}Avg`] ?? 0));
		parts.push(`${m.scorecards} scorecards average ${best.map((c) => `${fmt(m[`${c}Avg`]!)} for ${CATEGORY_LABELS[c].toLowerCase()}`).join(', ')}.`);
		const moved = scored.filter((c) => m[`${c}Change`] != null && m[`${c}Change`] !== 0);
		if (moved.length) parts.push(`Against the previous period: ${moved.map((c) => `${CATEGORY_LABELS[c].toLowerCase()} ${m[`${c}Change`]! > 0 ? 'up' : 'down'} ${fmt(Math.abs(m[`${c}Change`]!))}`).join(', ')}.`);
		const weakest = best.at(-1);
		if (weakest && best.length > 1) parts.push(`Coaching focus: ${CATEGORY_LABELS[weakest].toLowerCase()}.`);
	}
	if (m.aiHumanMeanAbsDiff != null) parts.push(`AI and human scores differ by ${fmt(m.aiHumanMeanAbsDiff)} points on average.`);
	return parts.join(' ');
}

export interface SummaryView {
	id: string;
	scope: SummaryScope;
	subject: string;
	subjectName: string;
	periodStart: Date;
	periodEnd: Date;
	metrics: Metrics;
	text: string | null;
	attempts: number;
	refusedReason: string | null;
	createdAt: Date;
}

async function subjectName(db: Db | Tx, scope: SummaryScope, subject: string): Promise<string> {
	if (scope === 'queue') return `The ${subject} queue`;
	const [row] = await db.select({ name: user.name }).from(user).where(eq(user.id, subject));
	if (!row) throw badRequest('AGENT_NOT_FOUND', 'No such agent.');
	return row.name;
}

/** Agents: their own agent summaries only. Graders: everyone's and every queue's. */
export function assertMayReadSummary(viewer: Viewer, scope: SummaryScope, subject: string): void {
	if (roleAllows('manager', viewer.role)) return;
	if (scope === 'agent' && subject === viewer.id) return;
	throw new AppError('FORBIDDEN', 'NOT_YOUR_SUMMARY', 'Agents see only their own performance summary; queue summaries are for managers and supervisors.');
}

export async function generateSummary(deps: { db: Db; languageAi: LanguageAiPort }, input: { scope: SummaryScope; subject: string; period: Period }): Promise<SummaryView> {
	const { db } = deps;
	const { scope, subject, period } = input;
	if (!(period.from < period.to)) throw badRequest('PERIOD_INVALID', 'The period must end after it starts.');
	const name = await subjectName(db, scope, subject);
	const metrics = await computeMetrics(db, scope, subject, period);
	let text: string | null = null;
	let refused: string[] = [];
	let attempts = 0;
	while (attempts < MAX_ATTEMPTS && text == null) {
		attempts += 1;
		const answer = await deps.languageAi.generateJson({
			system: SYSTEM,
			prompt: JSON.stringify({ subject: name, periodStart: period.from.toISOString().slice(0, 10), periodEnd: period.to.toISOString().slice(0, 10), metrics }),
			schema: ZSummary,
			local: () => ({ summary: templateSummary(name, metrics) })
		});
		refused = unsupportedNumbers(answer.summary, metrics, period);
		if (refused.length === 0) text = answer.summary.trim();
	}
	const refusedReason = text == null ? `Every attempt stated numbers not in the metrics: ${[...new Set(refused)].join(', ')}.` : null;
	const [row] = await db
		.insert(performanceSummaries)
		.values({ scope, subject, periodStart: period.from, periodEnd: period.to, metrics, text, attempts, refusedReason })
		.returning();
	return { ...row!, scope, subjectName: name, metrics };
}

export async function latestSummary(db: Db | Tx, viewer: Viewer, scope: SummaryScope, subject: string): Promise<SummaryView | null> {
	assertMayReadSummary(viewer, scope, subject);
	const [row] = await db
		.select()
		.from(performanceSummaries)
		.where(and(eq(performanceSummaries.scope, scope), eq(performanceSummaries.subject, subject)))
		.orderBy(desc(performanceSummaries.createdAt))
		.limit(1);
	if (!row) return null;
	return { ...row, scope, subjectName: await subjectName(db, scope, subject).catch(() => subject), metrics: row.metrics as Metrics };
}
