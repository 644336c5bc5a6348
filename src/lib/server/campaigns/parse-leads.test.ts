import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { DEFAULT_RULE_SET } from '../outbound/rule-set';
import { MAX_LEADS_FILE_BYTES, parseLeads as parseWith } from './parse-leads';

const parseLeads = (bytes: Uint8Array) => parseWith(bytes, DEFAULT_RULE_SET);

const utf8 = (text: string) => new TextEncoder().encode(text);

function refusal(bytes: Uint8Array): AppError {
	try {
		parseLeads(bytes);
	} catch (error) {
		if (error instanceof AppError) return error;
		throw error;
	}
	throw new Error('the file was not refused');
}

describe('parseLeads', () => {
	it('reads good rows and reports each bad one with its line and reason', () => {
		const csv = [
			'name,phone,company',
			'Ada Lovelace,(415) 555-0101,Analytical',
			'Bad Number,415 555 01,Nowhere',
			'Short Code,22395,Promo',
			'Premium,+1 900 555 0100,Tolls',
			'Repeat,+1 415 555 0101,Again',
			'Hawaii Lead,+1 808 555 0123,Island Co',
			'Abroad,+44 20 7946 0958,London Ltd'
		].join('\r\n');
		const { leads, errors, rows } = parseLeads(utf8(csv));
		expect(rows).toBe(7);
		expect(leads.map((l) => [l.line, l.phone, l.firstName, l.lastName])).toEqual([
			[2, '+14155550101', 'Ada', 'Lovelace'],
			[7, '+18085550123', 'Hawaii', 'Lead']
		]);
		expect(leads[1]?.timeZones).toEqual(['Pacific/Honolulu']);
		expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 8]);
		expect(errors[0]?.reason).toBe("'415 555 01' is not a valid phone number; check the area code and digits, e.g. +1 415 555 0100.");
		expect(errors[1]?.reason).toMatch(/^'22395' is a short code/);
		expect(errors[2]?.reason).toMatch(/^\+19005550100 is a premium-rate number/);
		expect(errors[3]?.reason).toBe('The same number is already on line 2; a lead is called once per campaign.');
		expect(errors[4]?.reason).toMatch(/^\+442079460958 is an international number \(GB\); this deployment only dials US, CA numbers/);
	});

	it('reports formula cells row by row, but takes a +number in the phone column as a number', () => {
		const csv = [
			'name,phone',
			'=HYPERLINK("http://x"),+1 415 555 0102',
			'Ok,+1 415 555 0103',
			'@SUM(A1),+1 415 555 0104',
			'Minus,-4155550105',
			'Plus,"+cmd|calc"'
		].join('\n');
		const { leads, errors } = parseLeads(utf8(csv));
		expect(leads.map((l) => l.phone)).toEqual(['+14155550103']);
		expect(errors.map((e) => [e.line, e.reason.slice(0, 22)])).toEqual([
			[2, 'A cell starts with "="'],
			[4, 'A cell starts with "@"'],
			[5, 'A cell starts with "-"'],
			[6, 'A cell starts with "+"']
		]);
	});

	it('names the lines of a file that mixes encodings instead of importing garbled names', () => {
		const head = utf8('name,phone\nZoë UTF8,+1 415 555 0106\n');
		const latin1 = Uint8Array.from([...'Zo', 0xeb, ...' Latin1,+1 415 555 0107\n'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))));
		const { leads, errors } = parseLeads(new Uint8Array([...head, ...latin1]));
		expect(leads.map((l) => [l.firstName, l.phone])).toEqual([['Zoë', '+14155550106']]);
		expect(errors).toEqual([
			{
				line: 3,
				value: '+1 415 555 0107',
				reason: expect.stringContaining('not UTF-8')
			}
		]);
	});

	it('refuses a file with a wrong header, a binary file, an empty one and one over the size limit, saying what to fix', () => {
		expect(refusal(utf8('name,email\nAda,ada@example.com')).message).toBe(
			'The first line must be a header with a "phone" column (and optionally "name", "company"); it has "name", "email".'
		);
		expect(refusal(utf8('phone\n')).code).toBe('EMPTY_IMPORT');
		expect(refusal(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])).code).toBe('NOT_CSV');
		expect(refusal(utf8('phone\n"+1 415 555 0100')).code).toBe('INVALID_CSV');
		// A 50 MB file is refused from its size, before any of it is read as CSV.
		const fifty = new Uint8Array(50 * 1024 * 1024).fill(0x31);
		expect(refusal(fifty)).toMatchObject({
			code: 'FILE_TOO_LARGE',
			message: `The file is 50.0 MB; a lead file is at most ${MAX_LEADS_FILE_BYTES / 1024 / 1024} MB. Split it and import the parts.`
		});
	});
});
