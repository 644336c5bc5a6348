/**
 * Folding 15-minute sums into the buckets a report asks for (pure, so the tests can hand it
 * fixtures): each stored interval goes to the local bucket holding its start.
 */
import { addSums, emptySums, figuresOf, type Figures, type IntervalSums } from '../../reporting/metrics';
import { bucketIndex } from './buckets';

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
