import { describe, expect, it } from 'vitest';
import type { SearchResponse } from '$lib/server/search/search-request';
import { requestFromParams, SearchPage } from './search-page.svelte';

const empty: SearchResponse = { items: [], truncated: false, capped: false };

describe('requestFromParams', () => {
	it('reads the filters, dropping unknown values and taking "to" as a whole day', () => {
		const r = requestFromParams(new URLSearchParams('q=refund&channel=fax&direction=inbound&agent=&queue=sales&from=2026-03-01&to=2026-03-01'));
		expect(r).toMatchObject({ q: 'refund', channel: undefined, direction: 'inbound', agentId: undefined, queue: 'sales' });
		expect(Date.parse(r.to!) - Date.parse(r.from!)).toBe(86_400_000);
		expect(requestFromParams(new URLSearchParams('q=x&from=yesterday')).from).toBeUndefined();
	});
});

describe('SearchPage', () => {
	it('keeps the newest answer when an older, slower one arrives last', async () => {
		const resolvers: ((r: SearchResponse) => void)[] = [];
		const page = new SearchPage(() => new Promise((resolve) => resolvers.push(resolve)));
		const first = page.search(new URLSearchParams('q=first'));
		const second = page.search(new URLSearchParams('q=second'));
		resolvers[1]!({ ...empty, truncated: true });
		resolvers[0]!(empty);
		await Promise.all([first, second]);
		expect(page.result?.truncated).toBe(true);
		expect(page.loading).toBe(false);
	});

	it('does not search an empty box and shows a refusal as a message', async () => {
		let calls = 0;
		const page = new SearchPage(() => {
			calls += 1;
			return Promise.reject(new Error('to: The date range ends before it starts'));
		});
		await page.search(new URLSearchParams('q=%20%20'));
		expect(calls).toBe(0);
		await page.search(new URLSearchParams('q=refund'));
		expect(page.error).toMatch(/date range/);
	});
});
