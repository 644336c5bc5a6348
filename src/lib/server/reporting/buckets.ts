/**
 * Report buckets in the call center's time zone: 15 minutes, hours, days and weeks (Monday to
 * Sunday) as the wall clock there has them, so a day with a daylight-saving change is 23 or 25
 * hours long and still one day. Plain Intl with IANA zones; no time-zone library needed.
 */
export const INTERVALS = ['15m', 'hour', 'day', 'week'] as const;
export type ReportInterval = (typeof INTERVALS)[number];

interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	/** 0 = Sunday */
	weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
	let f = formatters.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
		formatters.set(timeZone, f);
	}
	return f;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function wallClock(at: Date, timeZone: string): WallClock & { second: number } {
	const parts: Record<string, string> = {};
	for (const p of formatter(timeZone).formatToParts(at)) parts[p.type] = p.value;
	return {
		year: Number(parts.year),
		month: Number(parts.month),
		day: Number(parts.day),
		hour: Number(parts.hour),
		minute: Number(parts.minute),
		second: Number(parts.second),
		weekday: WEEKDAYS.indexOf(parts.weekday ?? '')
	};
}

/** The zone's offset from UTC at `at`, in milliseconds. */
export function offsetMs(at: Date, timeZone: string): number {
	const w = wallClock(at, timeZone);
	const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
	return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a wall-clock time in the zone names (the later one when a fall-back repeats it, the first valid one when spring-forward skips it). */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
	const guess = Date.UTC(year, month - 1, day, hour, minute);
	const first = guess - offsetMs(new Date(guess), timeZone);
	const second = guess - offsetMs(new Date(first), timeZone);
	return new Date(Math.max(first, second));
}

/** Start of the bucket holding `at`. */
export function bucketStart(at: Date, interval: ReportInterval, timeZone: string): Date {
	if (interval === '15m' || interval === 'hour') {
		// Sub-day buckets follow the local clock's quarter hours (every zone's offset is a multiple of 15 minutes).
		const step = interval === '15m' ? 15 : 60;
		const off = offsetMs(at, timeZone);
		const local = at.getTime() + off;
		const start = Math.floor(local / (step * 60_000)) * step * 60_000;
		return new Date(start - off);
	}
	const w = wallClock(at, timeZone);
	const back = interval === 'week' ? (w.weekday + 6) % 7 : 0;
	return zonedTime(w.year, w.month, w.day - back, 0, 0, timeZone);
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start: Date, interval: ReportInterval, timeZone: string): Date {
	if (interval === '15m') return new Date(start.getTime() + 15 * 60_000);
	if (interval === 'hour') return new Date(start.getTime() + 60 * 60_000);
	const w = wallClock(start, timeZone);
	return zonedTime(w.year, w.month, w.day + (interval === 'week' ? 7 : 1), 0, 0, timeZone);
}

/** Bucket starts covering [from, to): the first holds `from`, the last starts before `to`. */
export function bucketStarts(from: Date, to: Date, interval: ReportInterval, timeZone: string): Date[] {
	const starts: Date[] = [];
	for (let b = bucketStart(from, interval, timeZone); b < to; b = nextBucket(b, interval, timeZone)) starts.push(b);
	return starts;
}

/** Index of the bucket holding `at` in sorted `starts` (binary search), or -1 before the first. */
export function bucketIndex(starts: readonly Date[], at: Date): number {
	let lo = 0;
	let hi = starts.length - 1;
	let found = -1;
	const t = at.getTime();
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		if ((starts[mid] as Date).getTime() <= t) {
			found = mid;
			lo = mid + 1;
		} else hi = mid - 1;
	}
	return found;
}

export function isTimeZone(value: string): boolean {
	try {
		new Intl.DateTimeFormat('en-US', { timeZone: value });
		return true;
	} catch {
		return false;
	}
}
