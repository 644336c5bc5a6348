/**
 * A manager imports Do-Not-Contact numbers from a CSV file with a reason. Every row is checked
 * first (number, channel) and the file is refused as a whole when any row is wrong, with the
 * rows and what to fix: nothing is half written. A dry run gives the same report without
 * writing, so the page can show it before the manager confirms. Numbers already on the list
 * for those channels and repeats within the file are counted and skipped.
 *
 * The file is a `phone` column (header optional; `channel` and `note` columns optional), or one
 * number per line. Our own export reads back: its defused cells (`'+1415...`) are undone.
 */
import { z } from 'zod';
import type { Db, Tx } from '../db/client';
import { CONSENT_CHANNELS, CONSENT_REASON_MAX, consentLedger, type ConsentChannel } from '../db/schema/compliance';
import { normalizePhone } from '../crm/normalize-phone';
import { AppError, badRequest } from '../errors';
import { channelsOf, consentStates } from './consent-states';
import { parseCsv } from './parse-csv';

export const MAX_IMPORT_CHARS = 256 * 1024;
export const MAX_IMPORT_ROWS = 5000;
/** Rows listed in a report; the count says how many more there are. */
const MAX_LISTED_ERRORS = 100;
const REASON_MAX = 300;

export const ZImportInput = z.object({
	csv: z.string().max(MAX_IMPORT_CHARS, { error: `The file is larger than ${MAX_IMPORT_CHARS / 1024} KB; split it into smaller files.` }),
	fileName: z.string().trim().max(200).default('upload.csv'),
	channel: z.enum(CONSENT_CHANNELS).default('all'),
	reason: z
		.string()
		.trim()
		.min(3, { error: 'Give a reason for the import (at least 3 characters); it is kept with every entry.' })
		.max(REASON_MAX, { error: `A reason is at most ${REASON_MAX} characters.` }),
	dryRun: z.boolean().default(false)
});
export type ImportInput = z.input<typeof ZImportInput>;

export interface ImportRowError {
	/** The file's line number (1 is the first line). */
	line: number;
	value: string;
	message: string;
}

export interface ImportReport {
	/** Data rows read (not counting a header). */
	rows: number;
	/** Entries the import adds (or would add, on a dry run). */
	toAdd: number;
	alreadyListed: number;
	duplicates: number;
	errorCount: number;
	errors: ImportRowError[];
	/** Entries written: 0 on a dry run. */
	added: number;
	dryRun: boolean;
}

const PHONE_HEADERS = new Set(['phone', 'phone number', 'phone_number', 'number', 'e164', 'mobile', 'telephone']);
const NOTE_HEADERS = new Set(['note', 'notes', 'reason', 'comment']);

/** Undo the apostrophe our CSV export puts before cells a spreadsheet would read as formulas. */
const clean = (cell: string | undefined) => (cell ?? '').trim().replace(/^'(?=[=+\-@\t\r])/, '');

function problem(code: string, message: string): never {
	throw badRequest(code, message);
}

type ImportOptions = z.output<typeof ZImportInput>;
type CsvRow = ReturnType<typeof parseCsv>[number];
/** Where each field sits in a row (-1: the file has no such column). */
interface Columns {
	phone: number;
	channel: number;
	note: number;
}
interface WantedEntry {
	line: number;
	phone: string;
	channel: ConsentChannel;
	note: string;
}
/** Every row read: what to add, what is wrong, and how many repeats were skipped. */
interface CheckedRows {
	wanted: WantedEntry[];
	errors: ImportRowError[];
	duplicates: number;
}

/** The data rows and their columns: a header naming a phone column, or one number per line. */
function readRows(csv: string): { data: CsvRow[]; columns: Columns } {
	const lines = parseCsv(csv);
	const first = lines[0]?.cells.map((c) => clean(c).toLowerCase()) ?? [];
	const phoneColumn = first.findIndex((c) => PHONE_HEADERS.has(c));
	const hasHeader = phoneColumn >= 0;
	const columns = {
		phone: hasHeader ? phoneColumn : 0,
		channel: hasHeader ? first.indexOf('channel') : -1,
		note: hasHeader ? first.findIndex((c) => NOTE_HEADERS.has(c)) : -1
	};
	const data = hasHeader ? lines.slice(1) : lines;
	if (data.length === 0) problem('EMPTY_IMPORT', 'The file has no phone numbers: put one number per line, or a "phone" column.');
	if (data.length > MAX_IMPORT_ROWS) {
		problem('IMPORT_TOO_LARGE', `The file has ${data.length.toLocaleString('en-US')} rows; import at most ${MAX_IMPORT_ROWS.toLocaleString('en-US')} at a time.`);
	}
	return { data, columns };
}

/** One row's entry, or what is wrong with it. */
function checkRow(row: CsvRow, columns: Columns, importChannel: ConsentChannel): WantedEntry | ImportRowError {
	const value = clean(row.cells[columns.phone]);
	const channelCell = columns.channel >= 0 ? clean(row.cells[columns.channel]).toLowerCase() : '';
	let channel: ConsentChannel = importChannel;
	if (channelCell) {
		if (!(CONSENT_CHANNELS as readonly string[]).includes(channelCell)) {
			return { line: row.line, value: channelCell, message: `Channel '${channelCell}' must be sms, voice or all (or empty for the import's channel).` };
		}
		channel = channelCell as ConsentChannel;
	}
	let phone: string;
	try {
		phone = normalizePhone(value).e164;
	} catch (error) {
		if (!(error instanceof AppError)) throw error;
		return { line: row.line, value, message: error.message };
	}
	return { line: row.line, phone, channel, note: columns.note >= 0 ? clean(row.cells[columns.note]) : '' };
}

function checkRows(data: CsvRow[], columns: Columns, importChannel: ConsentChannel): CheckedRows {
	const checked: CheckedRows = { wanted: [], errors: [], duplicates: 0 };
	const seen = new Set<string>();
	for (const row of data) {
		const entry = checkRow(row, columns, importChannel);
		if ('message' in entry) {
			checked.errors.push(entry);
			continue;
		}
		const key = `${entry.phone}|${entry.channel}`;
		if (seen.has(key)) {
			checked.duplicates++;
			continue;
		}
		seen.add(key);
		checked.wanted.push(entry);
	}
	return checked;
}

/** The import's opt-outs, one statement per 500 rows, inside the caller's transaction. */
async function insertOptOuts(tx: Tx, fresh: WantedEntry[], actor: { id: string }, options: ImportOptions): Promise<void> {
	const prefix = `Imported from ${options.fileName}: ${options.reason}`;
	const at = new Date();
	for (let i = 0; i < fresh.length; i += 500) {
		await tx.insert(consentLedger).values(
			fresh.slice(i, i + 500).map((w) => ({
				phone: w.phone,
				channel: w.channel,
				action: 'opt_out' as const,
				source: 'import' as const,
				userId: actor.id,
				reason: (w.note ? `${prefix} (${w.note})` : prefix).slice(0, CONSENT_REASON_MAX),
				occurredAt: at
			}))
		);
	}
}

export async function importConsent(db: Db, actor: { id: string }, input: ImportInput): Promise<ImportReport> {
	const parsed = ZImportInput.safeParse(input);
	if (!parsed.success) problem('INVALID_IMPORT', parsed.error.issues[0]?.message ?? 'Invalid import.');
	const options = parsed.data;
	const { data, columns } = readRows(options.csv);
	const { wanted, errors, duplicates } = checkRows(data, columns, options.channel);

	const report = (toAdd: number, alreadyListed: number, added: number): ImportReport => ({
		rows: data.length,
		toAdd,
		alreadyListed,
		duplicates,
		errorCount: errors.length,
		errors: errors.slice(0, MAX_LISTED_ERRORS),
		added,
		dryRun: options.dryRun
	});

	return db.transaction(async (tx) => {
		const states = await consentStates(tx, wanted.map((w) => w.phone));
		const fresh = wanted.filter((w) => !channelsOf(w.channel).every((c) => states.get(w.phone)?.channels[c].state === 'opted_out'));
		const result = report(fresh.length, wanted.length - fresh.length, 0);
		if (errors.length) {
			if (options.dryRun) return result;
			const firstError = errors[0];
			throw badRequest(
				'IMPORT_INVALID',
				`${errors.length} row${errors.length > 1 ? 's need' : ' needs'} fixing, so nothing was imported${firstError ? `; line ${firstError.line}: ${firstError.message}` : '.'}`,
				{ report: result }
			);
		}
		if (options.dryRun || fresh.length === 0) return result;
		// The whole import commits or nothing does.
		await insertOptOuts(tx, fresh, actor, options);
		return { ...result, added: fresh.length };
	});
}
