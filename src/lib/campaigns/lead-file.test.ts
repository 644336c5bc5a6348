import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import { importRefusedAsTooLarge, leadFileProblem, MAX_LEADS_FILE_BYTES } from './lead-file';

describe('the lead file before it is sent', () => {
	it('refuses a 50 MB file and an empty one, saying what to fix, and takes one at the limit', () => {
		expect(leadFileProblem({ name: 'leads.csv', size: 50 * 1024 * 1024 })).toBe('leads.csv is 50.0 MB; a lead file is at most 5 MB. Split it and import the parts.');
		expect(leadFileProblem({ name: 'leads.csv', size: 0 })).toContain('is empty');
		expect(leadFileProblem({ name: 'leads.csv', size: MAX_LEADS_FILE_BYTES })).toBeNull();
	});
});

describe('a request the web server refused as too large', () => {
	it("turns adapter-node's bare 413 into what to do", () => {
		const bare = new TRPCClientError('Unexpected token P', { meta: { response: new Response('Payload Too Large', { status: 413 }) } });
		expect(importRefusedAsTooLarge(bare)).toMatch(/^The server refused the file as too large to receive; a lead file is at most 5 MB\. Split it/);
	});

	it('leaves every other error to the usual message', () => {
		const other = new TRPCClientError('Bad gateway', { meta: { response: new Response('', { status: 502 }) } });
		expect(importRefusedAsTooLarge(other)).toBeNull();
		expect(importRefusedAsTooLarge(new Error('offline'))).toBeNull();
		expect(importRefusedAsTooLarge(null)).toBeNull();
	});
});
