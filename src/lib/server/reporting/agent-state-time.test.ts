import { describe, expect, it } from 'vitest';
import { figuresOf } from '../../reporting/metrics';
import { foldAgentStates, MAX_RUN_MS, runSeconds, type StateRow } from './agent-state-time';
import { bucketStarts } from './buckets';
import { seriesOf } from './history-series';
import { emptySums } from './interval-delta';

const at = (iso: string) => new Date(iso);
const row = (agentId: string, state: string, iso: string): StateRow => ({ agentId, state, at: at(iso) });
/** Agent-time rows as history-series reads them (call sums zero). */
const asSums = (rows: ReturnType<typeof foldAgentStates>) => rows.map((r) => ({ ...emptySums(), bucket: r.bucket, staffedSeconds: r.staffedSeconds, handlingSeconds: r.handlingSeconds }));

describe('staffed and handling time', () => {
	it('splits a run at the interval boundary: 10:10 to 10:20 busy is 300 s in each interval', () => {
		expect(runSeconds('alice', 'busy', at('2026-12-01T10:10:00Z'), at('2026-12-01T10:20:00Z'))).toEqual([
			{ bucket: at('2026-12-01T10:00:00Z'), agentId: 'alice', staffedSeconds: 300, handlingSeconds: 300 },
			{ bucket: at('2026-12-01T10:15:00Z'), agentId: 'alice', staffedSeconds: 300, handlingSeconds: 300 }
		]);
	});

	it('available and ringing are staffed, not handling; away and offline are neither', () => {
		expect(runSeconds('a', 'available', at('2026-12-01T10:00:00Z'), at('2026-12-01T10:01:00Z'))[0]).toMatchObject({ staffedSeconds: 60, handlingSeconds: 0 });
		expect(runSeconds('a', 'ringing', at('2026-12-01T10:00:00Z'), at('2026-12-01T10:00:20Z'))[0]).toMatchObject({ staffedSeconds: 20, handlingSeconds: 0 });
		expect(runSeconds('a', 'wrapup', at('2026-12-01T10:00:00Z'), at('2026-12-01T10:00:30Z'))[0]).toMatchObject({ staffedSeconds: 30, handlingSeconds: 30 });
		expect(runSeconds('a', 'away', at('2026-12-01T10:00:00Z'), at('2026-12-01T11:00:00Z'))).toEqual([]);
		expect(runSeconds('a', 'offline', at('2026-12-01T10:00:00Z'), at('2026-12-01T11:00:00Z'))).toEqual([]);
	});

	it('a run the server did not watch is counted at most 30 minutes', () => {
		const pieces = runSeconds('a', 'available', at('2026-12-01T10:00:00Z'), at('2026-12-01T18:00:00Z'));
		expect(pieces.reduce((t, p) => t + p.staffedSeconds, 0)).toBe(MAX_RUN_MS / 1000);
	});

	it('occupancy per interval and agent = handling ÷ staffed; the last row (still open) adds nothing', () => {
		// alice: available 10:00, busy 10:05 (a call), wrap-up 10:11, available 10:12, away 10:14, back 10:16 (still open).
		const rows = [
			row('alice', 'available', '2026-12-01T10:00:00Z'),
			row('alice', 'busy', '2026-12-01T10:05:00Z'),
			row('alice', 'wrapup', '2026-12-01T10:11:00Z'),
			row('alice', 'available', '2026-12-01T10:12:00Z'),
			row('alice', 'away', '2026-12-01T10:14:00Z'),
			row('alice', 'available', '2026-12-01T10:16:00Z'),
			// bob in the same interval, in any order: busy the whole 10:00-10:15 quarter after an available minute.
			row('bob', 'busy', '2026-12-01T10:01:00Z'),
			row('bob', 'available', '2026-12-01T10:00:00Z'),
			row('bob', 'offline', '2026-12-01T10:15:00Z')
		];
		const folded = foldAgentStates(rows);
		const alice = folded.filter((r) => r.agentId === 'alice');
		// Staffed: 5 + 6 + 1 + 2 = 14 min (away excluded); handling: 6 + 1 = 7 min.
		expect(alice).toEqual([{ bucket: at('2026-12-01T10:00:00Z'), agentId: 'alice', staffedSeconds: 840, handlingSeconds: 420 }]);
		expect(figuresOf({ ...emptySums(), staffedSeconds: 840, handlingSeconds: 420 }).occupancy).toBe(0.5);
		const [quarter] = seriesOf(asSums(folded), [at('2026-12-01T10:00:00Z')], at('2026-12-01T10:15:00Z'));
		// Both agents: handling (420 + 840) ÷ staffed (840 + 900).
		expect(quarter!.figures.occupancy).toBeCloseTo(1260 / 1740, 10);
	});

	it('a run across midnight lands in both days', () => {
		const rows = [row('alice', 'busy', '2026-12-05T23:50:00Z'), row('alice', 'available', '2026-12-06T00:10:00Z'), row('alice', 'offline', '2026-12-06T00:20:00Z')];
		const days = seriesOf(asSums(foldAgentStates(rows)), bucketStarts(at('2026-12-05T00:00:00Z'), at('2026-12-07T00:00:00Z'), 'day', 'UTC'), at('2026-12-07T00:00:00Z'));
		expect(days.map((d) => [d.sums.staffedSeconds, d.sums.handlingSeconds, d.figures.occupancy])).toEqual([
			[600, 600, 1],
			[1200, 600, 0.5]
		]);
	});

	it('on the New York fall-back day (25 hours) a shift over the repeated hour is counted in full on that one day', () => {
		// 00:50 EDT to 01:20 EST: 90 minutes of wall time that the clock shows as 30; checkpoints every interval.
		const rows: StateRow[] = [];
		for (let t = Date.parse('2026-11-01T04:50:00Z'); t < Date.parse('2026-11-01T06:20:00Z'); t += 15 * 60_000) rows.push({ agentId: 'alice', state: 'busy', at: new Date(t) });
		rows.push(row('alice', 'offline', '2026-11-01T06:20:00Z'));
		const fall = bucketStarts(at('2026-11-01T04:00:00Z'), at('2026-11-03T05:00:00Z'), 'day', 'America/New_York');
		const days = seriesOf(asSums(foldAgentStates(rows)), fall, at('2026-11-03T05:00:00Z'));
		expect(days.map((d) => [d.sums.staffedSeconds, d.figures.occupancy])).toEqual([
			[5400, 1],
			[0, null]
		]);
	});
});
