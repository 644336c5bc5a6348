import { describe, expect, it } from 'vitest';
import { maskLines, maskSensitiveNumbers } from './mask';

describe('maskSensitiveNumbers', () => {
	it('masks card numbers written as numerals in any grouping', () => {
		expect(maskSensitiveNumbers('my card is 4111 1111 1111 1111 thanks')).toBe('my card is #### #### #### #### thanks');
		expect(maskSensitiveNumbers('card 4111-1111-1111-1111.')).toBe('card ####-####-####-####.');
		expect(maskSensitiveNumbers('amex 378282246310005')).toBe('amex ###############');
	});

	it('masks a card read out with its expiry and security code as one run', () => {
		expect(maskSensitiveNumbers('5555 5555 5555 4444 12 27 123')).toBe('#### #### #### #### ## ## ###');
	});

	it('masks US social security numbers, with or without dashes', () => {
		expect(maskSensitiveNumbers('SSN 123-45-6789, ok')).toBe('SSN ###-##-####, ok');
		expect(maskSensitiveNumbers('it is 123456789')).toBe('it is #########');
	});

	it('masks digits spoken as words, mixed with numerals', () => {
		expect(maskSensitiveNumbers('it is one two three, four five, six seven eight nine')).toBe('it is # # #, # #, # # # #');
		expect(maskSensitiveNumbers('Four one one one, 1111 1111 one one one one')).toBe('# # # #, #### #### # # # #');
		expect(maskSensitiveNumbers('oh one two three four five six seven eight nine zero one two')).toBe('# # # # # # # # # # # # #');
	});

	it('leaves phone numbers, amounts, dates and ordinary words alone', () => {
		const kept = [
			'call me on 415 555 0100 or +1 (415) 555-0100',
			'it costs $1,250.00 for 3 months',
			'on 2026-12-06 at 10:30',
			'someone said one moment, two minutes, and then nine',
			'order 12345678 and 1234567890'
		];
		for (const text of kept) expect(maskSensitiveNumbers(text)).toBe(text);
	});

	it('does not read digit words inside longer words', () => {
		expect(maskSensitiveNumbers('someone tone phone eighteen ninety nine one one')).toBe('someone tone phone eighteen ninety nine one one');
	});
});

describe('maskLines', () => {
	it('catches a number the recogniser split across two lines of the same speaker, keeping the lines apart', () => {
		expect(maskLines(['my card number is 4111 1111', '1111 1111 and that is it', 'bye'])).toEqual(['my card number is #### ####', '#### #### and that is it', 'bye']);
	});

	it('keeps line count and flattens newlines inside a line', () => {
		expect(maskLines(['a\nb', '', 'c'])).toEqual(['a b', '', 'c']);
	});
});
