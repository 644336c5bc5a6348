/**
 * The inbox's thread list: filter and search, loaded from the archive through tRPC. No hot-state
 * query covers every thread, so the list refreshes on a short interval and whenever the open
 * thread changes; the open thread itself is live (thread-view.svelte).
 */
import { errorMessage, trpc } from '$lib/trpc';

export type InboxFilter = 'mine' | 'unassigned' | 'all';
export type InboxThread = Awaited<ReturnType<typeof trpc.sms.inbox.query>>['items'][number];

/** How often the list refreshes while the page is open. */
export const REFRESH_MS = 5000;

export class InboxList {
	filter = $state<InboxFilter>('all');
	search = $state('');
	items = $state<InboxThread[]>([]);
	nextCursor = $state<string | null>(null);
	error = $state<string | null>(null);
	loading = $state(false);
	/** Bumped per request so a slow answer to an old filter never overwrites a newer one. */
	#request = 0;

	async load(): Promise<void> {
		const request = ++this.#request;
		this.loading = true;
		try {
			const page = await trpc.sms.inbox.query({ filter: this.filter, search: this.search.trim() });
			if (request !== this.#request) return;
			this.items = page.items;
			this.nextCursor = page.nextCursor;
			this.error = null;
		} catch (error) {
			if (request === this.#request) this.error = errorMessage(error);
		} finally {
			if (request === this.#request) this.loading = false;
		}
	}

	async loadMore(): Promise<void> {
		if (!this.nextCursor) return;
		const request = ++this.#request;
		try {
			const page = await trpc.sms.inbox.query({ filter: this.filter, search: this.search.trim(), cursor: this.nextCursor });
			if (request !== this.#request) return;
			const seen = this.items.map((t) => t.id);
			this.items = [...this.items, ...page.items.filter((t) => !seen.includes(t.id))];
			this.nextCursor = page.nextCursor;
		} catch (error) {
			if (request === this.#request) this.error = errorMessage(error);
		}
	}

	/** The thread was read here: clear its unread count without waiting for the next refresh. */
	markedRead(threadId: string): void {
		this.items = this.items.map((t) => (t.id === threadId ? { ...t, unread: 0 } : t));
	}
}
