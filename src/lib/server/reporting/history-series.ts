/**
 * Folding 15-minute sums into the buckets a report asks for (pure, so the tests can hand it
 * fixtures): each stored interval goes to the local bucket holding its start.
 */
import { addSums, emptySums, figuresOf, type Figures, type IntervalSums } from '../../reporting/metrics';
import { bucketIndex, wallClock } from './buckets';

export interface SumsRow extends IntervalSums {
	bucket: Date;
}

export interface SeriesPoint {
	start: Date;
	sums: IntervalSums;
	figures: Figures;
}

export function seriesOf(rows: readonly SumsRow[], starts: readonly Date[], end: Date): SeriesPoint[] {
	const sums = starts.map(() => emptySums());
	for (const row of rows) {
		if (row.bucket >= end) continue;
		const i = bucketIndex(starts, row.bucket);
		if (i >= 0) addSums(sums[i] as IntervalSums, row);
	}
	return starts.map((start, i) => ({ start, sums: sums[i] as IntervalSums, figures: figuresOf(sums[i] as IntervalSums) }));
}

export function totalOf(points: readonly { sums: IntervalSums }[]): IntervalSums {
	const total = emptySums();
	for (const p of points) addSums(total, p.sums);
	return total;
}

export interface KeyedSums extends IntervalSums {
	/** The bucket's local start, `YYYY-MM-DD HH:MM` in the report's zone. */
	key: string;
}

const two = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM` of an instant on the zone's wall clock (what the database's to_char gives). */
export function localKey(at: Date, timeZone: string): string {
	const w = wallClock(at, timeZone);
	return `${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)}`;
}

/** Sums the database already folded per local bucket, matched to the report's buckets by their local start. */
export function seriesByKey(rows: readonly KeyedSums[], starts: readonly Date[], timeZone: string): SeriesPoint[] {
	const byKey = new Map(rows.map((r) => [r.key, r]));
	return starts.map((start) => {
		const found = byKey.get(localKey(start, timeZone));
		const sums = emptySums();
		if (found) addSums(sums, found);
		return { start, sums, figures: figuresOf(sums) };
	});
}
