/**
 * The search page's state: the URL is the source of truth (?q=&channel=&direction=&agent=&queue=
 * &customer=&from=&to=, dates as YYYY-MM-DD in the browser's time zone), so results can be linked
 * and Back works; each URL is searched once, and a slower older answer never replaces a newer one.
 */
import type { TSearchRequest } from '$lib/server/search/search-request';
import type { SearchResponse } from '$lib/server/search/search-request';
import { errorMessage, trpc } from '$lib/trpc';

export type RunSearch = (request: TSearchRequest) => Promise<SearchResponse>;

export const FILTER_KEYS = ['channel', 'direction', 'agent', 'queue', 'customer', 'from', 'to'] as const;

const localMidnight = (date: string, addDays = 0) => {
	const [y, m, d] = date.split('-').map(Number);
	if (!y || !m || !d) return undefined;
	return new Date(y, m - 1, d + addDays).toISOString();
};

/** The request a URL's parameters describe (empty values and malformed dates left out). */
export function requestFromParams(params: URLSearchParams): TSearchRequest {
	const get = (key: string) => params.get(key)?.trim() || undefined;
	const channel = get('channel');
	const direction = get('direction');
	const from = get('from');
	const to = get('to');
	return {
		q: params.get('q') ?? '',
		channel: channel === 'call' || channel === 'voicemail' || channel === 'sms' ? channel : undefined,
		direction: direction === 'inbound' || direction === 'outbound' ? direction : undefined,
		agentId: get('agent'),
		queue: get('queue'),
		customerId: get('customer'),
		from: from ? localMidnight(from) : undefined,
		// "To" is a whole day: up to the next midnight.
		to: to ? localMidnight(to, 1) : undefined
	};
}

export class SearchPage {
	result = $state<SearchResponse | null>(null);
	loading = $state(false);
	error = $state<string | null>(null);
	#latest = 0;
	readonly #run: RunSearch;

	constructor(run: RunSearch = (request) => trpc.search.query.query(request)) {
		this.#run = run;
	}

	async search(params: URLSearchParams): Promise<void> {
		const ticket = ++this.#latest;
		const request = requestFromParams(params);
		if (!request.q.trim()) {
			this.result = null;
			this.error = null;
			return;
		}
		this.loading = true;
		try {
			const result = await this.#run(request);
			if (ticket !== this.#latest) return;
			this.result = result;
			this.error = null;
		} catch (error) {
			if (ticket === this.#latest) this.error = errorMessage(error);
		} finally {
			if (ticket === this.#latest) this.loading = false;
		}
	}
}
