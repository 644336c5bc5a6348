/**
 * Quality benches: the review queue and one agent's scorecard history at N scorecards (N calls,
 * one submitted card each, 50 agents, 2,000 calls in the queue), each beside a bare indexed
 * SELECT of the same rows; and the local grader's throughput on the scripted calls beside only
 * normalising their text.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db/client';
import { gradeLocally } from '../../src/lib/server/quality/grading/local-grader';
import { HELD_OUT_CALLS } from '../../src/lib/server/quality/grading/held-out-calls';
import { SCRIPTED_CALLS, type ScriptedCall } from '../../src/lib/server/quality/grading/scripted-calls';
import { SCORE_CATEGORIES, type ScoreCategory } from '../../src/lib/quality/categories';
import { normalise } from '../../src/lib/server/quality/grading/verify-evidence';
import { listReviewQueue } from '../../src/lib/server/quality/review-queue';
import { listScorecards } from '../../src/lib/server/quality/scorecards';
import { currentAnchors } from '../../src/lib/server/quality/anchors';

async function timed(times: number, fn: () => Promise<unknown>): Promise<number[]> {
	const out: number[] = [];
	for (let i = 0; i < times; i++) {
		const t0 = performance.now();
		await fn();
		out.push(performance.now() - t0);
	}
	return out;
}

export async function seedScorecards(db: Db, n: number): Promise<{ managerId: string; agentId: string }> {
	await currentAnchors(db);
	await db.execute(sql`insert into "user" (id, name, email, role) select 'bq-agent-' || g, 'Agent ' || g, 'bq' || g || '@bench.local', 'agent' from generate_series(1, 50) g`);
	await db.execute(sql`insert into "user" (id, name, email, role) values ('bq-manager', 'Manager', 'bqm@bench.local', 'manager')`);
	await db.execute(sql`
		insert into calls (call_sid, direction, outcome, agent_id, queue, status, status_rank, received_at, talk_seconds)
		select 'CA' || md5(g::text), 'inbound', 'answered', 'bq-agent-' || (g % 50 + 1), 'support', 'completed', 3, now() - (g || ' minutes')::interval, 120
		from generate_series(1, ${n}) g`);
	await db.execute(sql`
		insert into scorecards (call_id, agent_id, reviewer_id, anchor_version, status, score_greeting, score_product_knowledge, score_problem_resolution, score_professionalism, score_closing, submitted_at, created_at)
		select id, agent_id, 'bq-manager', 1, 'submitted', 1 + (abs(hashtext(id::text)) % 5), 3, 4, 5, 2, received_at, received_at from calls where agent_id like 'bq-agent-%'`);
	// Calls waiting in the queue: recent ones without a review card.
	await db.execute(sql`
		insert into calls (call_sid, direction, outcome, agent_id, queue, status, status_rank, received_at, talk_seconds)
		select 'CA' || md5('q' || g), 'inbound', 'answered', 'bq-agent-' || (g % 50 + 1), 'support', 'completed', 3, now() - (g || ' seconds')::interval, 120 from generate_series(1, 2000) g`);
	await db.execute(sql`insert into review_queue_items (call_id, reason) select id, 'opened' from calls where call_sid like 'CA%' and not exists (select 1 from scorecards s where s.call_id = calls.id) and agent_id like 'bq-agent-%'`);
	await db.execute(sql`analyze`);
	return { managerId: 'bq-manager', agentId: 'bq-agent-7' };
}

export async function benchQualityQueries(db: Db, n: number) {
	const { managerId, agentId } = await seedScorecards(db, n);
	const manager = { id: managerId, role: 'manager' as const };
	const queue = await timed(200, () => listReviewQueue(db, manager, { sample: false, limit: 100 }));
	const bareQueue = await timed(200, () => db.execute(sql`select call_id from review_queue_items order by created_at desc limit 100`));
	const history = await timed(200, () => listScorecards(db, manager, { agentId, limit: 50 }));
	const bareHistory = await timed(200, () => db.execute(sql`select id from scorecards where agent_id = ${agentId} order by created_at desc limit 50`));
	return { queue, bareQueue, history, bareHistory };
}

/** Calls per minute through the local grader, and through normalising the same text only. */
export function benchLocalGrading(ms = 3000): { callsPerMinute: number; normalisePerMinute: number } {
	const rate = (fn: (i: number) => void) => {
		let i = 0;
		const t0 = performance.now();
		while (performance.now() - t0 < ms) fn(i++);
		return (i / (performance.now() - t0)) * 60_000;
	};
	const callsPerMinute = rate((i) => gradeLocally(SCRIPTED_CALLS[i % SCRIPTED_CALLS.length]!.lines));
	const normalisePerMinute = rate((i) => SCRIPTED_CALLS[i % SCRIPTED_CALLS.length]!.lines.map((l) => normalise(l.text)));
	return { callsPerMinute, normalisePerMinute };
}

export interface Agreement {
	calls: number;
	perCategory: Record<ScoreCategory, { meanAbsDiff: number; withinOne: number; exact: number }>;
	all: { meanAbsDiff: number; withinOne: number; exact: number };
}

/** The local grader against the intended (human) scores of scripted calls. */
export function gradingAgreement(calls: readonly ScriptedCall[]): Agreement {
	const stats = (pairs: [number, number][]) => ({
		meanAbsDiff: pairs.reduce((n, [a, b]) => n + Math.abs(a - b), 0) / pairs.length,
		withinOne: pairs.filter(([a, b]) => Math.abs(a - b) <= 1).length / pairs.length,
		exact: pairs.filter(([a, b]) => a === b).length / pairs.length
	});
	const graded = calls.map((call) => ({ call, grade: gradeLocally(call.lines) }));
	const pairsOf = (c: ScoreCategory) => graded.map(({ call, grade }) => [grade[c].score, call.expected[c]] as [number, number]);
	return {
		calls: calls.length,
		perCategory: Object.fromEntries(SCORE_CATEGORIES.map((c) => [c, stats(pairsOf(c))])) as Agreement['perCategory'],
		all: stats(SCORE_CATEGORIES.flatMap(pairsOf))
	};
}

export const AGREEMENT_SETS = { 'tuning set (SCRIPTED_CALLS)': SCRIPTED_CALLS, 'held out (HELD_OUT_CALLS)': HELD_OUT_CALLS } as const;
