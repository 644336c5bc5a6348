/**
 * The audit trail's filters as they live in the page URL (`?phone=..&source=keyword&from=2026-11-01`),
 * read into the compliance procedures' input. Days are the viewer's: `tz` carries the browser's
 * offset from UTC in minutes (Date#getTimezoneOffset), and `to` includes its whole day.
 */

/** Rows per page of the trail. */
export const PAGE_SIZE = 50;

export const SOURCES = [
	{ value: 'keyword', label: 'Keyword (STOP/START)' },
	{ value: 'agent', label: 'Staff, by hand' },
	{ value: 'import', label: 'Import' },
	{ value: 'api', label: 'API' },
	{ value: 'carrier_error', label: 'Carrier error 21610' }
] as const;
export const CHANNELS = [
	{ value: 'all', label: 'Texts and calls' },
	{ value: 'sms', label: 'Texts' },
	{ value: 'voice', label: 'Calls' }
] as const;
export const ACTIONS = [
	{ value: 'opt_out', label: 'Opted out (do not contact)' },
	{ value: 'opt_in', label: 'Opted in (allowed again)' }
] as const;
export const DECISIONS = [
	{ value: 'refused', label: 'Refused' },
	{ value: 'allowed', label: 'Allowed' }
] as const;

export type Source = (typeof SOURCES)[number]['value'];
export type Channel = (typeof CHANNELS)[number]['value'];
export type Action = (typeof ACTIONS)[number]['value'];
export type Decision = (typeof DECISIONS)[number]['value'];

export interface TrailFilters {
	view: 'entries' | 'attempts';
	phone: string;
	source: Source | '';
	channel: Channel | '';
	action: Action | '';
	decision: Decision | '';
	userId: string;
	/** `YYYY-MM-DD`, the viewer's days. */
	from: string;
	to: string;
	/** The viewer's offset from UTC, minutes (positive west of Greenwich). */
	tz: number;
}

const pick = <T extends string>(value: string | null, allowed: readonly { value: T }[]): T | '' =>
	allowed.find((a) => a.value === value)?.value ?? '';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readFilters(query: URLSearchParams): TrailFilters {
	const tz = Number(query.get('tz') ?? 0);
	const day = (name: string) => {
		const v = query.get(name) ?? '';
		return DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : '';
	};
	return {
		view: query.get('view') === 'attempts' ? 'attempts' : 'entries',
		phone: (query.get('phone') ?? '').slice(0, 40),
		source: pick(query.get('source'), SOURCES),
		channel: pick(query.get('channel'), CHANNELS),
		action: pick(query.get('action'), ACTIONS),
		decision: pick(query.get('decision'), DECISIONS),
		userId: (query.get('user') ?? '').slice(0, 100),
		from: day('from'),
		to: day('to'),
		tz: Number.isInteger(tz) && Math.abs(tz) <= 14 * 60 ? tz : 0
	};
}

/** Midnight starting `day` in the viewer's zone, as an ISO instant. */
function startOf(day: string, tz: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + tz * 60_000).toISOString();
}

/** The last millisecond of `day` in the viewer's zone. */
function endOf(day: string, tz: number): string {
	return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000 - 1 + tz * 60_000).toISOString();
}

/** Input for compliance.list / exportCsv. */
export function entryQuery(f: TrailFilters) {
	return {
		...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
		...(f.source ? { source: f.source } : {}),
		...(f.channel ? { channel: f.channel } : {}),
		...(f.action ? { action: f.action } : {}),
		...(f.userId ? { userId: f.userId } : {}),
		...(f.from ? { from: startOf(f.from, f.tz) } : {}),
		...(f.to ? { to: endOf(f.to, f.tz) } : {})
	};
}

/** Input for compliance.attempts (a channel of `all` means both, so no filter). */
export function attemptQuery(f: TrailFilters) {
	return {
		...(f.phone.trim() ? { phone: f.phone.trim() } : {}),
		...(f.channel === 'sms' || f.channel === 'voice' ? { channel: f.channel } : {}),
		...(f.decision ? { decision: f.decision } : {}),
		...(f.userId ? { userId: f.userId } : {}),
		...(f.from ? { from: startOf(f.from, f.tz) } : {}),
		...(f.to ? { to: endOf(f.to, f.tz) } : {})
	};
}

/** The URL query for these filters (empty ones left out), e.g. for the export link. */
export function filterQuery(f: TrailFilters): URLSearchParams {
	const q = new URLSearchParams();
	if (f.view === 'attempts') q.set('view', 'attempts');
	if (f.phone.trim()) q.set('phone', f.phone.trim());
	if (f.source) q.set('source', f.source);
	if (f.channel) q.set('channel', f.channel);
	if (f.action) q.set('action', f.action);
	if (f.decision) q.set('decision', f.decision);
	if (f.userId) q.set('user', f.userId);
	if (f.from) q.set('from', f.from);
	if (f.to) q.set('to', f.to);
	if ((f.from || f.to) && f.tz) q.set('tz', String(f.tz));
	return q;
}

/** `+14155550100` as `+1 415 555 0100` (North American numbers); others stay E.164, unambiguous. */
export function displayPhone(e164: string): string {
	const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
	return m ? `+1 ${m[1]} ${m[2]} ${m[3]}` : e164;
}
