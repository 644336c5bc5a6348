import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { errorDetail, errorMessage } from './errors';

describe('errorMessage / errorDetail', () => {
	it('reads an Error’s message, and its stack for logs', () => {
		const error = new Error('line busy');
		expect(errorMessage(error)).toBe('line busy');
		expect(errorDetail(error)).toBe(error.stack);
	});

	it('turns anything else thrown into text', () => {
		expect(errorMessage('timeout')).toBe('timeout');
		expect(errorMessage(42)).toBe('42');
		expect(errorDetail(undefined)).toBe('undefined');
	});

	it('logs a failed statement and its cause without its parameters (phone numbers, message text)', () => {
		const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
		const error = new DrizzleQueryError('insert into calls (from_raw) values ($1)', ['+16465551234', 'Hi, this is Dana'], cause);
		expect(error.message).toContain('+16465551234');
		const logged = errorDetail(error);
		expect(logged).toContain('insert into calls (from_raw) values ($1)');
		expect(logged).toContain('invalid byte sequence');
		expect(logged).not.toContain('+16465551234');
		expect(logged).not.toContain('Dana');
	});
});
