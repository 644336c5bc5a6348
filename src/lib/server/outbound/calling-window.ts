/**
 * The recipient-local calling window: the local time in each of the number's zones, whether the
 * window is open in all of them, and the first instant it is.
 */
import { minutesOf, type CallingWindow } from './rule-set';

interface LocalParts {
	year: number;
	month: number;
	day: number;
	/** Minutes since local midnight. */
	minutes: number;
	/** Local minus UTC, in minutes. */
	offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
	let f = formatters.get(zone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric'
		});
		formatters.set(zone, f);
	}
	return f;
}

export function localParts(at: Date, zone: string): LocalParts {
	const parts: Record<string, number> = {};
	for (const p of formatter(zone).formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
	const { year = 0, month = 1, day = 1, hour = 0, minute = 0 } = parts;
	const asUtc = Date.UTC(year, month - 1, day, hour, minute);
	const offset = Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
	return { year, month, day, minutes: hour * 60 + minute, offset };
}

/** `2026-12-06T21:42-05:00`: the recipient's wall clock with its offset, for the audit trail. */
export function localIso(at: Date, zone: string): string {
	const p = localParts(at, zone);
	const pad = (n: number) => String(n).padStart(2, '0');
	const sign = p.offset < 0 ? '-' : '+';
	const off = Math.abs(p.offset);
	return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(Math.floor(p.minutes / 60))}:${pad(p.minutes % 60)}${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)}`;
}

function openIn(at: Date, zone: string, window: CallingWindow): boolean {
	const m = localParts(at, zone).minutes;
	return m >= minutesOf(window.start) && m < minutesOf(window.end);
}

/** The next instant at or after `at` when `zone`'s wall clock reads the window's start. */
function nextStart(at: Date, zone: string, window: CallingWindow): Date {
	const p = localParts(at, zone);
	const start = minutesOf(window.start);
	const dayShift = p.minutes < start ? 0 : 1;
	const wall = Date.UTC(p.year, p.month - 1, p.day + dayShift, 0, start);
	// Wall time to UTC with the offset at that time (twice, for a DST change in between).
	let guess = wall - p.offset * 60_000;
	for (let i = 0; i < 2; i++) guess = wall - localParts(new Date(guess), zone).offset * 60_000;
	return new Date(guess);
}

export function windowOpen(at: Date, zones: readonly string[], window: CallingWindow): boolean {
	return zones.every((z) => openIn(at, z, window));
}

/** The first instant at or after `at` when the window is open in every zone (null if never within a week). */
export function opensAt(at: Date, zones: readonly string[], window: CallingWindow): Date | null {
	let candidate = at;
	for (let i = 0; i < 14; i++) {
		const closed = zones.find((z) => !openIn(candidate, z, window));
		if (!closed) return candidate;
		candidate = nextStart(candidate, closed, window);
	}
	return null;
}
