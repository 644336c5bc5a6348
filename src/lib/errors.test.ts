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
});
