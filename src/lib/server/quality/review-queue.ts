/**
 * The managers' review queue: answered calls sampled per agent per week (how many is a
 * setting), calls the AI graded low or could not grade, and any call a manager opened for
 * review from a timeline. A call leaves the queue when a review scorecard on it is submitted.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { rowsOf } from '../db/rows';
import { calls } from '../db/schema/calls';
import { qualitySettings, reviewQueueItems, type ReviewReason } from '../db/schema/quality';
import { badRequest, notFound } from '../errors';
import { assertGrader, type Viewer } from './scorecards';

export interface QualitySettings {
	samplesPerAgentPerWeek: number;
	aiLowThreshold: number;
}

export async function getQualitySettings(db: Db | Tx): Promise<QualitySettings> {
	const [row] = await db.select().from(qualitySettings).where(eq(qualitySettings.id, 1));
	return { samplesPerAgentPerWeek: row?.samplesPerAgentPerWeek ?? 2, aiLowThreshold: row?.aiLowThreshold ?? 2 };
}

export async function saveQualitySettings(db: Db, viewer: Viewer, input: QualitySettings): Promise<QualitySettings> {
	assertGrader(viewer);
	if (!Number.isInteger(input.samplesPerAgentPerWeek) || input.samplesPerAgentPerWeek < 0 || input.samplesPerAgentPerWeek > 50) {
		throw badRequest('SAMPLES_OUT_OF_RANGE', 'Sample from 0 to 50 calls per agent per week.');
	}
	if (!Number.isInteger(input.aiLowThreshold) || input.aiLowThreshold < 1 || input.aiLowThreshold > 4) {
		throw badRequest('THRESHOLD_OUT_OF_RANGE', 'The AI low-score threshold is a score from 1 to 4.');
	}
	const values = { ...input, updatedAt: new Date() };
	await db
		.insert(qualitySettings)
		.values({ id: 1, ...values })
		.onConflictDoUpdate({ target: qualitySettings.id, set: values });
	return input;
}

/** Monday 00:00 UTC of the week holding `at`. */
export function weekStart(at: Date): Date {
	const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
	const back = (d.getUTCDay() + 6) % 7;
	return new Date(d.getTime() - back * 86_400_000);
}

/**
 * Tops up the week's sample to the setting for each agent: answered calls of that week not yet
 * sampled, picked in a stable pseudo-random order (md5 of the id). Serialized by an advisory
 * lock, so two managers opening the queue at once do not sample twice.
 */
export async function sampleWeek(db: Db, at: Date, perAgent: number): Promise<number> {
	const from = weekStart(at);
	const to = new Date(from.getTime() + 7 * 86_400_000);
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(hashtext('switchboard:review-sample'))`);
		const res = await tx.execute(sql`
			with existing as (
				select c.agent_id, count(*)::int as k from review_queue_items i join calls c on c.id = i.call_id
				where i.reason = 'sampled' and c.received_at >= ${from.toISOString()} and c.received_at < ${to.toISOString()}
				group by c.agent_id
			), cand as (
				select c.id, c.agent_id, row_number() over (partition by c.agent_id order by md5(c.id::text)) as rn
				from calls c
				where c.outcome = 'answered' and c.agent_id is not null
					and c.received_at >= ${from.toISOString()} and c.received_at < ${to.toISOString()}
					and not exists (select 1 from review_queue_items i where i.call_id = c.id and i.reason = 'sampled')
			)
			insert into review_queue_items (call_id, reason)
			select cand.id, 'sampled' from cand left join existing e on e.agent_id = cand.agent_id
			where cand.rn <= ${perAgent} - coalesce(e.k, 0)
			on conflict do nothing
			returning id`);
		return rowsOf(res).length;
	});
}

export async function addToReviewQueue(db: Db | Tx, callId: string, reason: ReviewReason, addedBy: string | null): Promise<void> {
	await db.insert(reviewQueueItems).values({ callId, reason, addedBy }).onConflictDoNothing();
}

/** "Review this call" from a timeline or search. */
export async function openForReview(db: Db, viewer: Viewer, callId: string): Promise<void> {
	assertGrader(viewer);
	const [call] = await db.select({ id: calls.id, agentId: calls.agentId }).from(calls).where(eq(calls.id, callId));
	if (!call) throw notFound('CALL_NOT_FOUND', 'No such call.');
	if (!call.agentId) throw badRequest('CALL_HAS_NO_AGENT', 'This call was not answered by an agent, so there is nobody to review.');
	await addToReviewQueue(db, callId, 'opened', viewer.id);
}

export interface ReviewQueueEntry {
	callId: string;
	reasons: ReviewReason[];
	receivedAt: Date;
	agentId: string | null;
	agentName: string | null;
	queue: string | null;
	talkSeconds: number | null;
	aiStatus: string | null;
	/** The lowest AI category score, when graded. */
	aiLowest: number | null;
	/** The viewer's own draft on the call, if any. */
	draft: boolean;
}

/** The queue, newest first: calls with no submitted review yet. Samples the current week first. */
export async function listReviewQueue(db: Db, viewer: Viewer, options: { now?: Date; limit?: number; sample?: boolean } = {}): Promise<ReviewQueueEntry[]> {
	assertGrader(viewer);
	if (options.sample !== false) {
		const settings = await getQualitySettings(db);
		if (settings.samplesPerAgentPerWeek > 0) await sampleWeek(db, options.now ?? new Date(), settings.samplesPerAgentPerWeek);
	}
	const res = await db.execute(sql`
		select q.call_id, q.reasons, q.latest, c.received_at, c.agent_id, u.name as agent_name, c.queue, c.talk_seconds,
			g.status as ai_status,
			(select min((v->>'score')::int) from jsonb_each(coalesce(g.categories, '{}'::jsonb)) as e(k, v)) as ai_lowest,
			exists (select 1 from scorecards d where d.call_id = q.call_id and d.reviewer_id = ${viewer.id} and d.status = 'draft' and d.calibration_id is null) as draft
		from (
			select i.call_id, array_agg(i.reason order by i.reason) as reasons, max(i.created_at) as latest
			from review_queue_items i
			-- A scalar subquery, not NOT EXISTS: PostgreSQL turned that into a hash anti-join over every
			-- submitted card (a seq scan of 100k cards, ~150 ms), where this probes scorecards_call_idx once per item.
			where (select s.id from scorecards s where s.call_id = i.call_id and s.status = 'submitted' and s.calibration_id is null limit 1) is null
			group by i.call_id
			order by max(i.created_at) desc
			limit ${Math.min(options.limit ?? 100, 500)}
		) q
		join calls c on c.id = q.call_id
		left join "user" u on u.id = c.agent_id
		left join ai_grades g on g.call_id = q.call_id
		order by q.latest desc`);
	return rowsOf(res).map((r) => ({
		callId: String(r.call_id),
		reasons: parseArray(r.reasons) as ReviewReason[],
		receivedAt: new Date(r.received_at as string),
		agentId: (r.agent_id as string | null) ?? null,
		agentName: (r.agent_name as string | null) ?? null,
		queue: (r.queue as string | null) ?? null,
		talkSeconds: r.talk_seconds == null ? null : Number(r.talk_seconds),
		aiStatus: (r.ai_status as string | null) ?? null,
		aiLowest: r.ai_lowest == null ? null : Number(r.ai_lowest),
		draft: r.draft === true || r.draft === 't'
	}));
}

/** postgres-js returns text[] as an array, PGlite too; a `{a,b}` literal is parsed just in case. */
function parseArray(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String);
	if (typeof value === 'string') return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
	return [];
}

export async function isQueued(db: Db | Tx, callId: string): Promise<boolean> {
	const [row] = await db.select({ id: reviewQueueItems.id }).from(reviewQueueItems).where(and(eq(reviewQueueItems.callId, callId))).limit(1);
	return Boolean(row);
}
