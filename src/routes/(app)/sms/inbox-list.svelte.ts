/**
 * The inbox's thread list, live. Loaded from the archive through tRPC (filter, search, this
 * agent's unread counts); then a server-sent stream of change notices (/api/sms/inbox-events,
 * fed by the Broadcast port) names the threads that changed, and the list re-reads just those,
 * with its own filter and search, so a new text, a status, an assignment or a read marker shows
 * at once in every open inbox. After a dropped stream it reloads the whole list: a notice missed
 * while offline is never lost.
 */
import { errorMessage, trpc } from '$lib/trpc';

export type InboxFilter = 'mine' | 'unassigned' | 'all';
export type InboxThread = Awaited<ReturnType<typeof trpc.sms.inbox.query>>['items'][number];
export type FeedState = 'connecting' | 'live' | 'reconnecting';

export const INBOX_EVENTS_URL = '/api/sms/inbox-events';
/** EventSource.CLOSED, without touching the global during server rendering. */
const CLOSED = 2;
/** Pause before reopening a stream the browser closed for good. */
const REOPEN_MS = 5000;

/** What the list needs of EventSource (a test can pass its own). */
export interface EventSourceLike {
	onopen: ((event: Event) => void) | null;
	onmessage: ((event: MessageEvent<string>) => void) | null;
	onerror: ((event: Event) => void) | null;
	readonly readyState: number;
	close(): void;
}

const newestFirst = (a: InboxThread, b: InboxThread) =>
	b.lastMessageAt.localeCompare(a.lastMessageAt) || b.id.localeCompare(a.id);

export class InboxList {
	filter = $state<InboxFilter>('all');
	search = $state('');
	items = $state<InboxThread[]>([]);
	nextCursor = $state<string | null>(null);
	error = $state<string | null>(null);
	loading = $state(false);
	feed = $state<FeedState>('connecting');
	/** Bumped per full load so a slow answer to an old filter never overwrites a newer one. */
	#request = 0;
	/** Threads named by notices and not re-read yet (plain data, not state). */
	#pending: string[] = [];
	#draining = false;

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
		const request = this.#request;
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

	/**
	 * Follow change notices until the returned function is called. Every `ready` (the first and
	 * each after a reconnect) reloads the list, so nothing between a load and the subscription
	 * is missed. A stream the browser gave up on (EventSource CLOSED) is reopened after a pause.
	 */
	connect(open: (url: string) => EventSourceLike = (url) => new EventSource(url)): () => void {
		let source: EventSourceLike | null = null;
		let retry: ReturnType<typeof setTimeout> | undefined;
		let stopped = false;
		const start = () => {
			source = open(INBOX_EVENTS_URL);
			source.onmessage = (event) => {
				let data: { kind?: string; threadId?: string };
				try {
					data = JSON.parse(event.data) as typeof data;
				} catch {
					return;
				}
				if (data.kind === 'ready') {
					this.feed = 'live';
					void this.load();
				} else if (typeof data.threadId === 'string') {
					this.changed(data.threadId);
				}
			};
			source.onerror = () => {
				this.feed = 'reconnecting';
				// EventSource retries by itself unless the answer was not a stream (CLOSED).
				if (source?.readyState === CLOSED && !stopped) {
					source.close();
					retry = setTimeout(start, REOPEN_MS);
				}
			};
		};
		start();
		return () => {
			stopped = true;
			clearTimeout(retry);
			source?.close();
		};
	}

	/** A notice named this thread: re-read it (coalesced with any others that arrive meanwhile). */
	changed(threadId: string): void {
		if (!this.#pending.includes(threadId)) this.#pending.push(threadId);
		if (this.#draining) return;
		this.#draining = true;
		void this.#drain().finally(() => (this.#draining = false));
	}

	async #drain(): Promise<void> {
		while (this.#pending.length > 0) {
			const ids = this.#pending.splice(0, 100);
			const request = this.#request;
			try {
				const page = await trpc.sms.inbox.query({ filter: this.filter, search: this.search.trim(), ids, limit: ids.length });
				// A full load started meanwhile already has these threads as they are now.
				if (request !== this.#request) continue;
				this.#merge(ids, page.items);
			} catch (error) {
				this.error = errorMessage(error);
			}
		}
	}

	/** Replace, insert or drop the re-read threads; those no longer matching the filter leave the list. */
	#merge(ids: string[], fresh: InboxThread[]): void {
		const kept = this.items.filter((t) => !ids.includes(t.id));
		const oldest = this.nextCursor ? this.items.at(-1) : undefined;
		// With more pages to load, a thread older than the last one shown waits for "Show more".
		const added = fresh.filter((t) => !oldest || newestFirst(t, oldest) <= 0);
		this.items = [...kept, ...added].sort(newestFirst);
	}

	/** The thread was read here: clear its unread count without waiting for the notice. */
	markedRead(threadId: string): void {
		this.items = this.items.map((t) => (t.id === threadId ? { ...t, unread: 0 } : t));
	}

	/** Total unread messages in the loaded threads. */
	get unread(): number {
		return this.items.reduce((sum, t) => sum + t.unread, 0);
	}
}
