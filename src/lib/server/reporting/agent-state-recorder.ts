/**
 * Follows agent presence in hot state and logs each status an agent enters (record-agent-state.ts),
 * so history can divide handling time by staffed time. One per server: the local engine pushes
 * every change; with Convex the server reads the roster every POLL_MS. While a staffed status
 * lasts, a checkpoint at each interval boundary closes its run, so the intervals fill as time
 * passes, not only when the agent next changes status.
 */
import { api } from '$convex/_generated/api';
import type { Db } from '../db/client';
import type { HotState } from '../live/hot';
import { SYSTEM_IDENTITY } from '../live/identity';
import { logger } from '../log';
import { STAFFED_STATES } from '../../reporting/metrics';
import { bucketOf } from './interval-delta';
import { lastStates, recordAgentState } from './record-agent-state';
import type { StateRow } from './agent-state-time';

const log = logger('reporting');

export interface PresenceRow {
	userId: string;
	status: string;
	/** ms since epoch */
	since: number;
}

export class AgentStateRecorder {
	private latest = new Map<string, StateRow>();
	private loaded = false;
	private queue: Promise<void> = Promise.resolve();

	constructor(
		private readonly db: Db,
		private readonly clock: () => Date = () => new Date()
	) {}

	/** Log what changed since the last roster seen. Calls run one after another. */
	observe(rows: readonly PresenceRow[]): Promise<void> {
		return this.serial(async () => {
			for (const r of rows) {
				const known = this.latest.get(r.userId);
				const at = new Date(r.since);
				if (known && known.state === r.status && known.at.getTime() >= at.getTime()) continue;
				await recordAgentState(this.db, { agentId: r.userId, state: r.status, at });
				this.latest.set(r.userId, { agentId: r.userId, state: r.status, at });
			}
		});
	}

	/** Close every staffed run at the current interval's start (a no-op for runs that began in it). */
	checkpoint(): Promise<void> {
		return this.serial(async () => {
			const boundary = bucketOf(this.clock());
			for (const row of this.latest.values()) {
				if (!STAFFED_STATES.includes(row.state) || row.at >= boundary) continue;
				await recordAgentState(this.db, { agentId: row.agentId, state: row.state, at: boundary });
				this.latest.set(row.agentId, { ...row, at: boundary });
			}
		});
	}

	private serial(fn: () => Promise<void>): Promise<void> {
		const run = this.queue.then(async () => {
			if (!this.loaded) {
				this.latest = await lastStates(this.db);
				this.loaded = true;
			}
			await fn();
		});
		this.queue = run.catch((error: unknown) => log.warn('agent state not logged', { error: String(error) }));
		return run;
	}
}

export interface AgentStateRecorderOptions {
	db: Db;
	hot: HotState;
	pollMs?: number;
	checkpointMs?: number;
}

/** Start following presence; returns the function that stops. */
export function startAgentStateRecorder(o: AgentStateRecorderOptions): () => void {
	const recorder = new AgentStateRecorder(o.db);
	const take = (rows: PresenceRow[]) => void recorder.observe(rows).catch(() => {});
	let unsubscribe: () => void;
	if (o.hot.mode === 'local') {
		unsubscribe = o.hot.subscribe(api.agentStatus.presence, {}, SYSTEM_IDENTITY, take, (error) => log.warn('presence feed failed', { error: String(error) }));
	} else {
		const poll = setInterval(() => {
			o.hot.query(api.agentStatus.presence, {}, SYSTEM_IDENTITY).then(take, (error: unknown) => log.warn('presence read failed', { error: String(error) }));
		}, o.pollMs ?? 5000);
		unsubscribe = () => clearInterval(poll);
	}
	const checkpoints = setInterval(() => void recorder.checkpoint().catch(() => {}), o.checkpointMs ?? 60_000);
	return () => {
		clearInterval(checkpoints);
		unsubscribe();
	};
}
