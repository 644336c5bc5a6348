/**
 * The `retry-hot-write` job: hot-state writes that failed while the archive already holds the
 * truth. Left undone they leave hot state wrong until a restart rebuilds it (an agent stuck
 * busy after a call ended, a caller in the carrier's queue whom no agent sees), so the webhook
 * queues the write and pg-boss retries it with backoff. Every write here is idempotent in hot
 * state (routeInbound answers a known call's decision, completeCall ends an ended call again).
 */
import type { FunctionArgs } from 'convex/server';
import { api } from '$convex/_generated/api';
import type { Db } from '../db/client';
import type { Jobs } from '../jobs/jobs';
import { SYSTEM_IDENTITY, type HotState } from '../live/hot';
import { logger } from '../log';
import { loadCall } from './call-archive';
import { recordRoutingDecision } from './handle-incoming-call';

export type RetryHotWriteData =
	| { kind: 'routeInbound'; args: FunctionArgs<typeof api.callLine.routeInbound> }
	| { kind: 'completeCall'; args: FunctionArgs<typeof api.callWrapup.completeCall> };

const log = logger('voice');

/** Queue `write` for the job after it failed with `error`; never throws (the caller already answers the carrier). */
export async function retryHotWriteLater(deps: { db: Db; jobs: Pick<Jobs, 'enqueue'> }, write: RetryHotWriteData, error: unknown): Promise<void> {
	log.error('hot state refused a write; retrying it from a job', { kind: write.kind, callSid: write.args.callSid, error: String(error) });
	try {
		await deps.jobs.enqueue(deps.db, 'retry-hot-write', write);
	} catch (queueError) {
		log.error('could not queue the hot-state retry; hot state is repaired at the next restart', { kind: write.kind, callSid: write.args.callSid, error: String(queueError) });
	}
}

export async function retryHotWriteJob(deps: { db: Db; hot: HotState }, data: RetryHotWriteData): Promise<void> {
	if (data.kind === 'completeCall') {
		await deps.hot.mutation(api.callWrapup.completeCall, data.args, SYSTEM_IDENTITY);
		return;
	}
	// A caller who hung up meanwhile must not be routed now: they would wait in line as a ghost.
	const found = await loadCall(deps.db, data.args.callSid);
	if (!found || found.call.endedAt) return;
	const decision = await deps.hot.mutation(api.callLine.routeInbound, data.args, SYSTEM_IDENTITY);
	await recordRoutingDecision(deps.db, data.args.callSid, decision, new Date());
}
