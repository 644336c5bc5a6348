/**
 * A recipient's wall-clock time in their IANA zone, for calling hours and the calling window.
 * Shared by hot state (the Next-call claim) and the server (the dial-time gate).
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
	let f = formats.get(timeZone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		});
		formats.set(timeZone, f);
	}
	return f;
}

/** Minutes after local midnight at `at` (ms since epoch) in `timeZone`. */
export function localMinutes(at: number, timeZone: string): number {
	let hour = 0;
	let minute = 0;
	for (const part of format(timeZone).formatToParts(at)) {
		if (part.type === 'hour') hour = Number(part.value);
		else if (part.type === 'minute') minute = Number(part.value);
	}
	return hour * 60 + minute;
}

/** `HH:MM` for minutes after midnight. */
export function clockText(minutes: number): string {
	const m = ((minutes % 1440) + 1440) % 1440;
	return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Whether local `minutes` fall in [start, end). */
export function withinHours(minutes: number, start: number, end: number): boolean {
	return minutes >= start && minutes < end;
}

/** Minutes from local `minutes` until the window [start, end) next opens (0 when open). */
export function minutesUntilOpen(minutes: number, start: number, end: number): number {
	if (withinHours(minutes, start, end)) return 0;
	return minutes < start ? start - minutes : 1440 - minutes + start;
}
