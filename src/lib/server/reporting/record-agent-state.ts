/**
 * Agent presence into the archive: each status an agent enters is one agent_state_log row, and the
 * run it closes is added to agent_state_intervals in the same transaction (a row landing between
 * two others splits the run they made). The log is the truth; rebuildAgentStates refolds it.
 */
import { and, asc, desc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { agentStateIntervals, agentStateLog, reportDayMarks } from '../db/schema/reporting';
import { foldAgentStates, runSeconds, type StateRow, type StateSeconds } from './agent-state-time';
import { bucketOf, INTERVAL_MS } from './interval-delta';

async function addSeconds(tx: Db | Tx, pieces: StateSeconds[], sign: 1 | -1): Promise<void> {
	for (const p of pieces) {
		const staffed = sign * p.staffedSeconds;
		const handling = sign * p.handlingSeconds;
		await tx
			.insert(agentStateIntervals)
			.values({ bucket: p.bucket, agentId: p.agentId, staffedSeconds: staffed, handlingSeconds: handling })
			.onConflictDoUpdate({
				target: [agentStateIntervals.bucket, agentStateIntervals.agentId],
				set: { staffedSeconds: sql`${agentStateIntervals.staffedSeconds} + ${staffed}`, handlingSeconds: sql`${agentStateIntervals.handlingSeconds} + ${handling}` }
			});
		await forgetRolledDay(tx, p.bucket);
	}
}

/** The day rollup (report_days) of the day holding `bucket`, in any zone, is stale now. */
export async function forgetRolledDay(tx: Db | Tx, bucket: Date): Promise<void> {
	const at = bucket.toISOString();
	await tx
		.delete(reportDayMarks)
		.where(
			and(
				gte(reportDayMarks.day, sql`(${at}::timestamptz - interval '1 day')::date`),
				lt(reportDayMarks.day, sql`(${at}::timestamptz + interval '2 day')::date`),
				eq(reportDayMarks.day, sql`(${at}::timestamptz at time zone ${reportDayMarks.zone})::date`)
			)
		);
}

/** Log that `agentId` entered `state` at `at`. Returns false when that moment was already logged. */
export async function recordAgentState(db: Db, row: StateRow): Promise<boolean> {
	return db.transaction(async (tx) => {
		const [inserted] = await tx.insert(agentStateLog).values(row).onConflictDoNothing().returning({ id: agentStateLog.id });
		if (!inserted) return false;
		const mine = eq(agentStateLog.agentId, row.agentId);
		const [before] = await tx.select().from(agentStateLog).where(and(mine, lt(agentStateLog.at, row.at))).orderBy(desc(agentStateLog.at)).limit(1);
		const [after] = await tx.select().from(agentStateLog).where(and(mine, gt(agentStateLog.at, row.at))).orderBy(asc(agentStateLog.at)).limit(1);
		if (before && after) await addSeconds(tx, runSeconds(before.agentId, before.state, before.at, after.at), -1);
		if (before) await addSeconds(tx, runSeconds(before.agentId, before.state, before.at, row.at), 1);
		if (after) await addSeconds(tx, runSeconds(row.agentId, row.state, row.at, after.at), 1);
		return true;
	});
}

/** The last state logged per agent (for the recorder's start and its checkpoints). */
export async function lastStates(db: Db): Promise<Map<string, StateRow>> {
	const rows = await db
		.selectDistinctOn([agentStateLog.agentId], { agentId: agentStateLog.agentId, state: agentStateLog.state, at: agentStateLog.at })
		.from(agentStateLog)
		.orderBy(agentStateLog.agentId, desc(agentStateLog.at));
	return new Map(rows.map((r) => [r.agentId, r]));
}

/** Rewrite agent_state_intervals for [from, to) from the log (runs that began up to MAX_RUN before `from` included). */
export async function rebuildAgentStates(db: Db, range: { from: Date; to: Date }): Promise<number> {
	const from = bucketOf(range.from);
	const to = new Date(Math.ceil(range.to.getTime() / INTERVAL_MS) * INTERVAL_MS);
	return db.transaction(async (tx) => {
		// Rows from a day either side: the run into `from` and the row that closes the last run.
		const rows = await tx
			.select({ agentId: agentStateLog.agentId, state: agentStateLog.state, at: agentStateLog.at })
			.from(agentStateLog)
			.where(and(gte(agentStateLog.at, new Date(from.getTime() - 86_400_000)), lt(agentStateLog.at, new Date(to.getTime() + 86_400_000))));
		const folded = foldAgentStates(rows).filter((p) => p.bucket >= from && p.bucket < to);
		await tx.delete(agentStateIntervals).where(and(gte(agentStateIntervals.bucket, from), lt(agentStateIntervals.bucket, to)));
		for (let i = 0; i < folded.length; i += 500) await tx.insert(agentStateIntervals).values(folded.slice(i, i + 500));
		return folded.length;
	});
}
