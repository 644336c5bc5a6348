/**
 * Staffed and handling time from agent presence, for occupancy in history. The log holds one row
 * per status an agent entered (and a checkpoint at each interval boundary while a status lasts);
 * each row's status runs until the agent's next row. A run is split at 15-minute boundaries, so
 * it lands in every interval it covers (across midnight and any daylight-saving change: the
 * intervals are UTC, the days they fold into are local).
 */
import { HANDLING_STATES, STAFFED_STATES } from '../../reporting/metrics';
import { INTERVAL_MS } from './interval-delta';

/**
 * The longest run counted. The server checkpoints every interval while it watches, so a longer run
 * means it was not watching (stopped, or lost the hot state): count at most this much of it.
 */
export const MAX_RUN_MS = 2 * INTERVAL_MS;

export interface StateRow {
	agentId: string;
	state: string;
	at: Date;
}

export interface StateSeconds {
	bucket: Date;
	agentId: string;
	staffedSeconds: number;
	handlingSeconds: number;
}

/** The seconds one run adds, per interval it covers. Runs away or offline add nothing. */
export function runSeconds(agentId: string, state: string, from: Date, to: Date): StateSeconds[] {
	if (!STAFFED_STATES.includes(state)) return [];
	const handling = HANDLING_STATES.includes(state);
	// Whole seconds (the intervals' columns are integers; hot state's times carry milliseconds).
	const start = Math.floor(from.getTime() / 1000) * 1000;
	const end = Math.min(Math.floor(to.getTime() / 1000) * 1000, start + MAX_RUN_MS);
	const out: StateSeconds[] = [];
	for (let b = Math.floor(start / INTERVAL_MS) * INTERVAL_MS; b < end; b += INTERVAL_MS) {
		const seconds = (Math.min(end, b + INTERVAL_MS) - Math.max(start, b)) / 1000;
		if (seconds > 0) out.push({ bucket: new Date(b), agentId, staffedSeconds: seconds, handlingSeconds: handling ? seconds : 0 });
	}
	return out;
}

/** Every closed run in `rows` (any order), summed per interval and agent; each agent's last row is still open and adds nothing. */
export function foldAgentStates(rows: readonly StateRow[]): StateSeconds[] {
	const byAgent = new Map<string, StateRow[]>();
	for (const r of rows) {
		const list = byAgent.get(r.agentId) ?? [];
		list.push(r);
		byAgent.set(r.agentId, list);
	}
	const out = new Map<string, StateSeconds>();
	for (const list of byAgent.values()) {
		list.sort((a, b) => a.at.getTime() - b.at.getTime());
		for (let i = 0; i + 1 < list.length; i++) {
			const run = list[i] as StateRow;
			for (const piece of runSeconds(run.agentId, run.state, run.at, (list[i + 1] as StateRow).at)) {
				const id = `${piece.bucket.getTime()}|${piece.agentId}`;
				const into = out.get(id);
				if (into) {
					into.staffedSeconds += piece.staffedSeconds;
					into.handlingSeconds += piece.handlingSeconds;
				} else out.set(id, piece);
			}
		}
	}
	return [...out.values()];
}
