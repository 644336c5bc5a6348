import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { badRequest, describeFirstIssue, describeIssues } from './bad-request';

const Schema = z.object({ to: z.string().min(2, 'Enter a phone number.'), body: z.string() });

describe('zod issues as words', () => {
	it('names each field and why; with the input reported, says what is missing or sent twice', () => {
		const plain = Schema.safeParse({ to: 'x', body: 1 });
		expect(describeIssues(plain.error!.issues)).toBe('to: Enter a phone number.; body: Invalid input: expected string, received number');
		const reported = Schema.safeParse({ to: ['a', 'b'] }, { reportInput: true });
		expect(describeIssues(reported.error!.issues)).toBe('to was sent more than once; body is missing');
	});

	it('answers 400 BAD_REQUEST with the description, `what` first', async () => {
		const response = badRequest(Schema.safeParse({ to: 'x', body: '' }).error!.issues, 'signal');
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ ok: false, code: 'BAD_REQUEST', message: 'signal: to: Enter a phone number.' });
	});

	it('gives a form the first issue: its own sentence alone, a zod default with the field in front', () => {
		expect(describeFirstIssue(Schema.safeParse({ to: 'x', body: '' }).error!.issues)).toBe('Enter a phone number.');
		expect(describeFirstIssue(Schema.safeParse({ to: 'xy' }).error!.issues)).toBe('body: Invalid input: expected string, received undefined');
		expect(describeFirstIssue([])).toBe('Invalid input.');
	});
});
