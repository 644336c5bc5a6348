/** The ledger as CSV for the audit page's export, with the list's filters; at most MAX_EXPORT rows. */
import type { Db } from '../db/client';
import { toCsv } from './csv';
import { listConsentEntries, MAX_PAGE, type ConsentFilters } from './list-consent';

export const MAX_EXPORT = 50_000;
export const CONSENT_CSV_HEADER = [
	'occurred_at',
	'phone',
	'channel',
	'action',
	'source',
	'keyword',
	'message_sid',
	'user',
	'reason'
] as const;

export async function exportConsentCsv(db: Db, filters: Omit<ConsentFilters, 'limit' | 'cursor'> = {}): Promise<string> {
	const rows: string[][] = [];
	let cursor: string | undefined;
	do {
		const page = await listConsentEntries(db, { ...filters, limit: MAX_PAGE, cursor });
		for (const e of page.items) {
			rows.push([
				e.occurredAt.toISOString(),
				e.phone,
				e.channel,
				e.action,
				e.source,
				e.keyword ?? '',
				e.messageSid ?? '',
				e.userName ?? '',
				e.reason
			]);
		}
		cursor = page.nextCursor ?? undefined;
	} while (cursor && rows.length < MAX_EXPORT);
	return toCsv(CONSENT_CSV_HEADER, rows.slice(0, MAX_EXPORT));
}
