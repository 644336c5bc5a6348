import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';
import { parseCsv } from './parse-csv';

describe('parseCsv', () => {
	it('reads plain, quoted and multi-line cells with either line end, skipping blank lines', () => {
		expect(parseCsv('\uFEFFphone,note\r\n+14155550100,"says ""stop"", twice"\n\n"+1 628 555 0101","two\nlines"\n+16285550102,')).toEqual([
			{ line: 1, cells: ['phone', 'note'] },
			{ line: 2, cells: ['+14155550100', 'says "stop", twice'] },
			{ line: 4, cells: ['+1 628 555 0101', 'two\nlines'] },
			{ line: 6, cells: ['+16285550102', ''] }
		]);
	});

	it('reads back what toCsv writes', () => {
		const rows = [
			['a', 'b,c'],
			['"q"', 'x\r\ny']
		];
		expect(parseCsv(toCsv(['h1', 'h2'], rows)).map((r) => r.cells)).toEqual([['h1', 'h2'], ...rows]);
	});

	it('refuses a quote that never closes, naming its line', () => {
		expect(() => parseCsv('phone\n+14155550100\n"+1415')).toThrow(/Line 3 opens a quoted cell that never closes/);
	});

	it('reads an empty file as no rows', () => {
		expect(parseCsv('')).toEqual([]);
		expect(parseCsv('\r\n\n')).toEqual([]);
	});
});
