import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { formatPhone } from './format-phone';
import { normalizePhone } from './normalize-phone';

function failure(input: string): AppError {
	try {
		normalizePhone(input);
	} catch (error) {
		if (error instanceof AppError) return error;
		throw error;
	}
	throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('normalizePhone', () => {
	it.each([
		['(415) 555-0100', '+14155550100'],
		['415.555.0100', '+14155550100'],
		['415-555-0100', '+14155550100'],
		['4155550100', '+14155550100'],
		['1 415 555 0100', '+14155550100'],
		['+1 415 555 0100', '+14155550100'],
		['+1 (415) 555-0100', '+14155550100'],
		['1-800-555-0199', '+18005550199'],
		['+44 20 7946 0958', '+442079460958'],
		['00 44 20 7946 0958', '+442079460958'],
		['0044 20 7946 0958', '+442079460958'],
		['011 44 20 7946 0958', '+442079460958'],
		['+44 (0)20 7946 0958', '+442079460958'],
		['+61 2 5550 1234', '+61255501234'],
		['+49 30 901820', '+4930901820']
	])('reads %j as %s', (input, e164) => {
		expect(normalizePhone(input).e164).toBe(e164);
	});

	it('keeps an extension apart from the number', () => {
		expect(normalizePhone('415-555-0100 ext. 23')).toEqual({ e164: '+14155550100', extension: '23', country: 'US' });
		expect(normalizePhone('415 555 0100 x7').extension).toBe('7');
		expect(normalizePhone('+1 415 555 0100;ext=12').extension).toBe('12');
		expect(normalizePhone('(415) 555-0100').extension).toBeNull();
	});

	it('reports the country it found', () => {
		expect(normalizePhone('+44 20 7946 0958').country).toBe('GB');
	});

	it('reads national numbers in another default country when asked', () => {
		expect(normalizePhone('020 7946 0958', { defaultCountry: 'GB' }).e164).toBe('+442079460958');
	});

	it('says a short number needs its area code', () => {
		const error = failure('12');
		expect(error).toMatchObject({ kind: 'BAD_REQUEST', code: 'INVALID_PHONE' });
		expect(error.message).toBe("'12' is too short for a phone number; enter it with area code, e.g. +1 415 555 0100.");
	});

	it('says a seven-digit local number is too short', () => {
		expect(failure('555-0100').message).toMatch(/'555-0100' is too short.*area code/);
	});

	it.each([
		['', /Enter a phone number with area code/],
		['   ', /Enter a phone number with area code/],
		['abc', /'abc' is not a phone number/],
		['call me', /is not a phone number/],
		['+999 1234 5678', /no known country code; start international numbers with \+/],
		['+1 212 555 01999999', /too long for a phone number/],
		['+1 415 055 0100', /is not a valid \+1 number; check the area code/],
		['415 555 0100 ext 12345678901', /extension longer than 10 digits/],
		['1'.repeat(60), /too long for a phone number \(at most 40 characters\)/]
	])('rejects %j clearly', (input, message) => {
		const error = failure(input);
		expect(error.code).toBe('INVALID_PHONE');
		expect(error.kind).toBe('BAD_REQUEST');
		expect(error.message).toMatch(message);
	});
});

describe('formatPhone', () => {
	it('formats home numbers nationally and others internationally', () => {
		expect(formatPhone('+14155550100')).toBe('(415) 555-0100');
		expect(formatPhone('+442079460958')).toBe('+44 20 7946 0958');
		expect(formatPhone('+14155550100', '23')).toBe('(415) 555-0100 ext. 23');
	});

	it('returns what it cannot parse unchanged', () => {
		expect(formatPhone('not a number')).toBe('not a number');
	});
});
