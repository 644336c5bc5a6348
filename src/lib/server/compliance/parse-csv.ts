/**
 * RFC 4180 CSV reading for uploads: quoted cells with doubled quotes and line breaks inside,
 * CRLF or LF line ends, a UTF-8 byte-order mark ignored. A quote left open is an error naming
 * the line, so a broken file is refused rather than read wrong.
 */
import { badRequest } from '../errors';

export interface CsvRow {
	/** 1-based line the row starts on, for error messages. */
	line: number;
	cells: string[];
}

export function parseCsv(text: string): CsvRow[] {
	const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
	const rows: CsvRow[] = [];
	let cells: string[] = [];
	let cell = '';
	let quoted = false;
	let line = 1;
	let rowLine = 1;
	let quoteLine = 1;
	const endRow = () => {
		cells.push(cell);
		// A blank line is no row at all.
		if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
		cells = [];
		cell = '';
	};
	for (let i = 0; i < input.length; i++) {
		const ch = input[i];
		if (quoted) {
			if (ch === '"') {
				if (input[i + 1] === '"') {
					cell += '"';
					i++;
				} else quoted = false;
			} else {
				if (ch === '\n') line++;
				cell += ch;
			}
			continue;
		}
		if (ch === '"' && cell === '') {
			quoted = true;
			quoteLine = line;
		} else if (ch === ',') {
			cells.push(cell);
			cell = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && input[i + 1] === '\n') i++;
			endRow();
			line++;
			rowLine = line;
		} else cell += ch;
	}
	if (quoted) throw badRequest('INVALID_CSV', `Line ${quoteLine} opens a quoted cell that never closes; check the quotes in the file.`);
	if (cell !== '' || cells.length) endRow();
	return rows;
}
