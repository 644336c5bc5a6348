/** The weekly job: last week's summary for every agent and queue that answered calls in it. */
import { sql } from 'drizzle-orm';
import type { LanguageAiPort } from '../../adapters/language-ai';
import type { Db } from '../../db/client';
import { rowsOf } from '../../db/rows';
import { logger } from '../../log';
import { weekStart } from '../review-queue';
import { generateSummary } from './generate-summary';

const log = logger('summaries');

export async function weeklySummaries(deps: { db: Db; languageAi?: LanguageAiPort }, now = new Date()): Promise<number> {
	if (!deps.languageAi) throw new Error('weekly summaries need the language-AI adapter');
	const to = weekStart(now);
	const from = new Date(to.getTime() - 7 * 86_400_000);
	const res = await deps.db.execute(sql`
		select distinct 'agent' as scope, agent_id as subject from calls where outcome = 'answered' and agent_id is not null and received_at >= ${from.toISOString()} and received_at < ${to.toISOString()}
		union select distinct 'queue', queue from calls where outcome = 'answered' and queue is not null and received_at >= ${from.toISOString()} and received_at < ${to.toISOString()}`);
	const subjects = rowsOf<{ scope: 'agent' | 'queue'; subject: string }>(res);
	for (const s of subjects) {
		const summary = await generateSummary({ db: deps.db, languageAi: deps.languageAi }, { scope: s.scope, subject: s.subject, period: { from, to } });
		if (summary.refusedReason) log.warn('summary refused', { scope: s.scope, subject: s.subject, reason: summary.refusedReason });
	}
	return subjects.length;
}
