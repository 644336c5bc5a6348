import { describe, expect, it } from 'vitest';
import { figuresOf, occupancyNow, toneOf, type QueueTargets } from '../../reporting/metrics';
import { bucketStarts, bucketStart } from './buckets';
import { foldLog, type LogRow } from './fold-log';
import { seriesOf, totalOf } from './history-series';

const T: QueueTargets = { slTargetSeconds: 20, slTargetPercent: 80, shortAbandonSeconds: 5, waitAlertSeconds: 120 };
const at = (iso: string) => new Date(iso);

/** One call's log rows, all counted in the interval it was offered in. */
function call(startedAt: string, events: (Pick<LogRow, 'type'> & Partial<LogRow>)[]): LogRow[] {
	return [{ type: 'offered' as const }, ...events].map((e): LogRow => ({
		key: '',
		agentId: '',
		seconds: null,
		queue: 'sales',
		direction: 'inbound',
		callStartedAt: at(startedAt),
		...e
	}));
}

const MORNING = [
	// A: answered in 12 s by alice, 300 s talk, 30 s wrap-up (in target).
	...call('2026-12-01T10:00:00Z', [{ type: 'answered', agentId: 'alice', seconds: 12 }, { type: 'ended', agentId: 'alice', seconds: 300 }, { type: 'wrapup_ended', agentId: 'alice', seconds: 30 }]),
	// B: answered in 45 s by bob, 180 s answer to hang-up of which one 60 s hold (so 120 s talk), 20 s wrap-up (outside target).
	...call('2026-12-01T10:05:00Z', [{ type: 'answered', agentId: 'bob', seconds: 45 }, { type: 'held', agentId: 'bob', key: '1' }, { type: 'resumed', agentId: 'bob', key: '1', seconds: 60 }, { type: 'ended', agentId: 'bob', seconds: 180 }, { type: 'wrapup_ended', agentId: 'bob', seconds: 20 }]),
	// C: hung up after 30 s waiting: an abandon (its callback task is a follow-up, not a callback).
	...call('2026-12-01T10:07:00Z', [{ type: 'abandoned', seconds: 30 }, { type: 'callback_requested' }, { type: 'callback_completed', agentId: 'alice' }]),
	// D: hung up within S: a short abandon, in neither service level nor abandonment.
	...call('2026-12-01T10:08:00Z', [{ type: 'short_abandon', seconds: 3 }]),
	// E: left a message after 90 s: a callback, not an abandon.
	...call('2026-12-01T10:09:00Z', [{ type: 'voicemail', seconds: 90 }]),
	// F: answered in 5 s by alice, transferred to bob (his answer is the same call), 200 s talk; the transfer replayed is one row.
	...call('2026-12-01T10:10:00Z', [{ type: 'answered', agentId: 'alice', seconds: 5 }, { type: 'transferred', agentId: 'alice' }, { type: 'answered', agentId: 'bob', key: 'transfer:1', seconds: 50 }, { type: 'ended', agentId: 'bob', seconds: 200 }])
];

describe('metrics over hand-computed fixtures', () => {
	const rows = foldLog(MORNING, () => T);
	const [point] = seriesOf(rows, [at('2026-12-01T10:00:00Z')], at('2026-12-01T10:15:00Z'));
	const f = point!.figures;

	it('counts each call once: 6 offered, 3 answered (F once despite its transfer), 1 transfer', () => {
		expect([f.offered, f.answered, f.transfers, f.handled]).toEqual([6, 3, 1, 3]);
	});
	it('service level: answered within T ÷ (offered − short abandons) = 2 / 5', () => {
		expect(f.shortAbandons).toBe(1);
		expect(f.serviceLevel).toBeCloseTo(0.4, 10);
	});
	it('abandonment: abandons after S ÷ (offered − short abandons) = 1 / 5; the voicemail is a callback', () => {
		expect([f.abandoned, f.callbacks]).toEqual([1, 1]);
		expect(f.abandonRate).toBeCloseTo(0.2, 10);
	});
	it('ASA: (12 + 45 + 5) / 3; the answer after the transfer adds no wait', () => {
		expect(f.asa).toBeCloseTo(62 / 3, 10);
	});
	it('AHT: (talk 620 + hold 60 + wrap-up 50) / 3 handled', () => {
		expect(f.aht).toBeCloseTo(730 / 3, 10);
	});
	it('callers still waiting within T are not yet in service level or abandonment; past T they count as not in time', () => {
		const sums = foldLog([...MORNING, ...call('2026-12-01T10:12:00Z', []), ...call('2026-12-01T10:13:00Z', [])], () => T);
		const [live] = seriesOf(sums, [at('2026-12-01T10:00:00Z')], at('2026-12-01T10:15:00Z'));
		// Both still waiting, both within T: 2 in target of 5 settled, as without them.
		expect(figuresOf(live!.sums, 2).serviceLevel).toBeCloseTo(2 / 5, 10);
		expect(figuresOf(live!.sums, 2).abandonRate).toBeCloseTo(1 / 5, 10);
		// One has now waited past T: 2 of 6.
		expect(figuresOf(live!.sums, 1).serviceLevel).toBeCloseTo(2 / 6, 10);
		// Nobody settled yet: no figure rather than 0%.
		expect(figuresOf(foldLog(call('2026-12-01T10:12:00Z', []), () => T)[0]!, 1).serviceLevel).toBeNull();
	});
	it('an empty interval has zero counts and no rates (not 0%)', () => {
		const [empty] = seriesOf(rows, [at('2026-12-01T11:00:00Z')], at('2026-12-01T11:15:00Z'));
		expect(empty!.figures).toMatchObject({ offered: 0, answered: 0, serviceLevel: null, asa: null, abandonRate: null, aht: null });
	});
	it('colours at the thresholds', () => {
		expect([toneOf('serviceLevel', 0.8, T), toneOf('serviceLevel', 0.7, T), toneOf('serviceLevel', 0.69, T)]).toEqual(['good', 'warn', 'bad']);
		expect([toneOf('asa', 20, T), toneOf('asa', 40, T), toneOf('asa', 41, T)]).toEqual(['good', 'warn', 'bad']);
		expect([toneOf('abandonRate', 0.049, T), toneOf('abandonRate', 0.05, T), toneOf('abandonRate', 0.1, T)]).toEqual(['good', 'warn', 'bad']);
		expect([toneOf('longestWait', 59, T), toneOf('longestWait', 60, T), toneOf('longestWait', 120, T)]).toEqual(['good', 'warn', 'bad']);
		expect(toneOf('serviceLevel', null, T)).toBe('none');
	});
	it('occupancy now: on a call or in wrap-up ÷ signed in and not away', () => {
		expect(occupancyNow(['busy', 'wrapup', 'available', 'ringing', 'away', 'offline'])).toBe(0.5);
		expect(occupancyNow(['away', 'offline'])).toBeNull();
	});
});

describe('intervals, midnight and daylight saving', () => {
	it('a call offered before midnight and answered after counts once, in the interval and day it was offered', () => {
		const late = call('2026-12-05T23:59:50Z', [{ type: 'answered', agentId: 'alice', seconds: 20 }, { type: 'ended', agentId: 'alice', seconds: 290 }]);
		const rows = foldLog(late, () => T);
		const quarter = seriesOf(rows, bucketStarts(at('2026-12-05T23:30:00Z'), at('2026-12-06T00:30:00Z'), '15m', 'UTC'), at('2026-12-06T00:30:00Z'));
		expect(quarter.map((p) => p.figures.offered)).toEqual([0, 1, 0, 0]);
		expect(quarter[1]!.figures).toMatchObject({ answered: 1, handled: 1, serviceLevel: 1 });
		const days = seriesOf(rows, bucketStarts(at('2026-12-05T00:00:00Z'), at('2026-12-07T00:00:00Z'), 'day', 'UTC'), at('2026-12-07T00:00:00Z'));
		expect(days.map((p) => [p.figures.offered, p.figures.answered])).toEqual([[1, 1], [0, 0]]);
	});

	it('day buckets follow New York across the spring-forward (23 h) and fall-back (25 h) days', () => {
		const spring = bucketStarts(at('2026-03-07T05:00:00Z'), at('2026-03-10T04:00:00Z'), 'day', 'America/New_York');
		expect(spring.map((d) => d.toISOString())).toEqual(['2026-03-07T05:00:00.000Z', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z']);
		const fall = bucketStarts(at('2026-11-01T04:00:00Z'), at('2026-11-03T05:00:00Z'), 'day', 'America/New_York');
		expect(fall.map((d) => d.toISOString())).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
		expect(bucketStarts(fall[0]!, fall[1]!, 'hour', 'America/New_York')).toHaveLength(25);
		// 01:30 happens twice on 1 November; both calls are on that day, none leaks into the next.
		const twice = [...call('2026-11-01T05:30:00Z', []), ...call('2026-11-01T06:30:00Z', [])];
		const days = seriesOf(foldLog(twice, () => T), fall, at('2026-11-03T05:00:00Z'));
		expect(days.map((p) => p.figures.offered)).toEqual([2, 0]);
	});

	it('weeks start on Monday in the zone, and the week holding a DST change is one week', () => {
		// Sunday 1 November (the fall-back day) closes the week that began on Monday 26 October (169 hours long).
		expect(bucketStart(at('2026-11-01T12:00:00Z'), 'week', 'America/New_York').toISOString()).toBe('2026-10-26T04:00:00.000Z');
		expect(bucketStart(at('2026-11-04T12:00:00Z'), 'week', 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
		const weeks = bucketStarts(at('2026-10-26T04:00:00Z'), at('2026-11-09T05:00:00Z'), 'week', 'America/New_York');
		expect(weeks.map((d) => d.toISOString())).toEqual(['2026-10-26T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
	});

	it('totals are the sum of the buckets (a day read from 96 intervals equals one read whole)', () => {
		const rows = foldLog(MORNING, () => T);
		const quarters = seriesOf(rows, bucketStarts(at('2026-12-01T00:00:00Z'), at('2026-12-02T00:00:00Z'), '15m', 'UTC'), at('2026-12-02T00:00:00Z'));
		const [day] = seriesOf(rows, [at('2026-12-01T00:00:00Z')], at('2026-12-02T00:00:00Z'));
		expect(figuresOf(totalOf(quarters))).toEqual(day!.figures);
	});
});
