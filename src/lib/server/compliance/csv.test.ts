import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv';

describe('csvCell', () => {
	it.each([
		['=1+1', "'=1+1"],
		['+14155550100', "'+14155550100"],
		['-2', "'-2"],
		['@SUM(A1:A2)', "'@SUM(A1:A2)"],
		['\tcmd', "'\tcmd"],
		['\r=cmd', `"'\r=cmd"`],
		['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
		["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"]
	])('defuses formula %j', (input, expected) => {
		expect(csvCell(input)).toBe(expected);
	});

	it.each([
		['plain', 'plain'],
		['a,b', '"a,b"'],
		['say "hi"', '"say ""hi"""'],
		['line\nbreak', '"line\nbreak"'],
		['crlf\r\nx', '"crlf\r\nx"'],
		['1+1=2', '1+1=2'],
		[" '=quoted already", " '=quoted already"],
		['', '']
	])('quotes %j as RFC 4180 needs', (input, expected) => {
		expect(csvCell(input)).toBe(expected);
	});

	it('writes other values plainly', () => {
		expect(csvCell(null)).toBe('');
		expect(csvCell(undefined)).toBe('');
		expect(csvCell(42)).toBe('42');
		expect(csvCell(-42)).toBe("'-42");
		expect(csvCell(true)).toBe('true');
		expect(csvCell(new Date('2026-11-24T10:00:00Z'))).toBe('2026-11-24T10:00:00.000Z');
	});
});

describe('toCsv', () => {
	it('writes a header and rows with CRLF line ends', () => {
		expect(
			toCsv(
				['a', 'b'],
				[
					['1', '=2'],
					['x,y', null]
				]
			)
		).toBe('a,b\r\n1,\'=2\r\n"x,y",\r\n');
	});
});
