/** A bucket's name as the history table, the chart axis and the CSV print it, in the call center's zone. */
import { wallClock, type ReportInterval } from './buckets';

const two = (n: number) => String(n).padStart(2, '0');

export function bucketLabel(start: Date, interval: ReportInterval, timeZone: string): string {
	const w = wallClock(start, timeZone);
	const day = `${w.year}-${two(w.month)}-${two(w.day)}`;
	if (interval === 'day') return day;
	if (interval === 'week') return `Week of ${day}`;
	return `${day} ${two(w.hour)}:${two(w.minute)}`;
}
