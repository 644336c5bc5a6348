/**
 * Reading a campaign's lead file, before anything is written. The file as a whole is refused
 * (an AppError saying what to fix) when it is too large, not CSV, or its header is wrong; each
 * bad row is reported with its line and reason and left out: an invalid number, a cell a
 * spreadsheet would run as a formula (=, +, -, @), a line that is not UTF-8 (a file saved partly
 * in another encoding), a premium-rate number, a number the file already listed, a number with
 * no known time zone.
 *
 * The header must name a `phone` column; `name` (or `first_name` and `last_name`) and `company`
 * are optional. Numbers are read as the outbound gate reads them (outbound/recipient.ts:
 * libphonenumber-js, no short codes, no premium rate, domestic unless the rules allow others).
 */
import { parseCsv, type CsvRow } from '../compliance/parse-csv';
import { badRequest } from '../errors';
import { MAX_LEADS_FILE_BYTES } from '../../campaigns/lead-file';
import { readRecipient } from '../outbound/recipient';
import type { RuleSet } from '../outbound/rule-set';

export { MAX_LEADS_FILE_BYTES };
export const MAX_LEAD_ROWS = 20_000;
/** Rows listed in a report; the count says how many more there were. */
export const MAX_LISTED_ROW_ERRORS = 200;

const PHONE_HEADERS = new Set(['phone', 'phone number', 'phone_number', 'number', 'mobile', 'telephone']);
const NAME_HEADERS = new Set(['name', 'full name', 'full_name', 'contact']);

export interface LeadRowError {
	line: number;
	value: string;
	reason: string;
}

export interface ParsedLead {
	line: number;
	phone: string;
	firstName: string;
	lastName: string;
	company: string;
	timeZones: string[];
}

export interface ParsedLeads {
	leads: ParsedLead[];
	errors: LeadRowError[];
	/** Data rows read (not counting the header). */
	rows: number;
}

interface Columns {
	phone: number;
	name: number;
	first: number;
	last: number;
	company: number;
}

/** Decode as UTF-8 line by line: the lines that are not valid UTF-8 are named, not garbled. */
function decode(bytes: Uint8Array): { text: string; badLines: Set<number> } {
	const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
	try {
		return { text: strict.decode(bytes), badLines: new Set() };
	} catch {
		const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
		const badLines = new Set<number>();
		text.split('\n').forEach((line, i) => {
			if (line.includes('\uFFFD')) badLines.add(i + 1);
		});
		return { text, badLines };
	}
}

function columnsOf(header: CsvRow | undefined): Columns {
	const cells =
		header?.cells.map((c) =>
			c
				.trim()
				.toLowerCase()
				.replace(/^\uFEFF/, '')
		) ?? [];
	const columns = {
		phone: cells.findIndex((c) => PHONE_HEADERS.has(c)),
		name: cells.findIndex((c) => NAME_HEADERS.has(c)),
		first: cells.findIndex((c) => c === 'first_name' || c === 'first name' || c === 'firstname'),
		last: cells.findIndex((c) => c === 'last_name' || c === 'last name' || c === 'lastname'),
		company: cells.findIndex((c) => c === 'company' || c === 'organization')
	};
	if (columns.phone < 0) {
		const seen = cells.length ? `it has ${cells.map((c) => `"${c}"`).join(', ')}` : 'the file is empty';
		throw badRequest('BAD_HEADER', `The first line must be a header with a "phone" column (and optionally "name", "company"); ${seen}.`);
	}
	return columns;
}

/** A cell a spreadsheet would run as a formula. A phone cell may start with + when it is only a number. */
function formulaIn(row: CsvRow, columns: Columns): string | null {
	for (const [i, cell] of row.cells.entries()) {
		const value = cell.trim();
		if (!/^[=+\-@]/.test(value)) continue;
		if (i === columns.phone && /^\+[\d\s().-]+$/.test(value)) continue;
		return value;
	}
	return null;
}

function cell(row: CsvRow, i: number): string {
	return i >= 0 ? (row.cells[i] ?? '').trim() : '';
}

function splitName(row: CsvRow, columns: Columns): { firstName: string; lastName: string } {
	if (columns.first >= 0 || columns.last >= 0)
		return {
			firstName: cell(row, columns.first).slice(0, 100),
			lastName: cell(row, columns.last).slice(0, 100)
		};
	const full = cell(row, columns.name);
	const space = full.lastIndexOf(' ');
	return space > 0
		? {
				firstName: full.slice(0, space).slice(0, 100),
				lastName: full.slice(space + 1).slice(0, 100)
			}
		: { firstName: full.slice(0, 100), lastName: '' };
}

function checkRow(row: CsvRow, columns: Columns, badLines: Set<number>, seen: Map<string, number>, rules: RuleSet): ParsedLead | LeadRowError {
	const raw = cell(row, columns.phone);
	if (badLines.has(row.line)) {
		return {
			line: row.line,
			value: raw,
			reason: 'This line is not UTF-8 text (the file mixes encodings); save the whole file as UTF-8 and import it again.'
		};
	}
	const formula = formulaIn(row, columns);
	if (formula !== null) {
		return {
			line: row.line,
			value: formula.slice(0, 40),
			reason: `A cell starts with "${formula[0]}", which a spreadsheet runs as a formula; remove it or put the text without the leading sign.`
		};
	}
	// The outbound gate's own reading of the number: invalid, short code, premium rate and numbers abroad are refused here already.
	const recipient = readRecipient(raw, rules);
	if (!recipient.ok) return { line: row.line, value: raw, reason: recipient.message };
	const phone = recipient.e164;
	const earlier = seen.get(phone);
	if (earlier !== undefined)
		return {
			line: row.line,
			value: raw,
			reason: `The same number is already on line ${earlier}; a lead is called once per campaign.`
		};
	const timeZones = [...recipient.zones];
	if (timeZones.length === 0)
		return {
			line: row.line,
			value: raw,
			reason: `No calling time zone is known for ${phone}'s country, so its calling window cannot be checked.`
		};
	seen.set(phone, row.line);
	return {
		line: row.line,
		phone,
		...splitName(row, columns),
		company: cell(row, columns.company).slice(0, 200),
		timeZones
	};
}

/** Read a lead file's bytes; throws BAD_REQUEST for a file refused whole. */
export function parseLeads(bytes: Uint8Array, rules: RuleSet): ParsedLeads {
	if (bytes.byteLength > MAX_LEADS_FILE_BYTES) {
		const mb = (bytes.byteLength / 1024 / 1024).toFixed(1);
		throw badRequest('FILE_TOO_LARGE', `The file is ${mb} MB; a lead file is at most ${MAX_LEADS_FILE_BYTES / 1024 / 1024} MB. Split it and import the parts.`);
	}
	if (bytes.includes(0)) throw badRequest('NOT_CSV', 'The file contains binary data (zero bytes); export it from your spreadsheet as CSV (UTF-8).');
	const { text, badLines } = decode(bytes);
	const [header, ...data] = parseCsv(text);
	const columns = columnsOf(header);
	if (data.length === 0) throw badRequest('EMPTY_IMPORT', 'The file has a header but no leads under it.');
	if (data.length > MAX_LEAD_ROWS) {
		throw badRequest(
			'IMPORT_TOO_LARGE',
			`The file has ${data.length.toLocaleString('en-US')} leads; import at most ${MAX_LEAD_ROWS.toLocaleString('en-US')} at a time.`
		);
	}
	const seen = new Map<string, number>();
	const result: ParsedLeads = { leads: [], errors: [], rows: data.length };
	for (const row of data) {
		const checked = checkRow(row, columns, badLines, seen, rules);
		if ('reason' in checked) result.errors.push(checked);
		else result.leads.push(checked);
	}
	return result;
}
