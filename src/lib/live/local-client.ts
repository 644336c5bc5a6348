/**
 * The browser side of the local live path (LIVE=local): one EventSource to /api/live per page,
 * subscriptions added and dropped with small POSTs, mutations as POST /api/live/mutation.
 * When the stream drops it reconnects with exponential backoff and jitter, and re-subscribes
 * everything on the new connection. Values cross as Convex JSON (convexToJson) both ways.
 * Plain TypeScript with its browser APIs injected, so it runs under test without a DOM.
 */
import { convexToJson, jsonToConvex, type JSONValue, type Value } from 'convex/values';
import type { ConnectionStatus, LiveBackend } from './backend';
import { LiveError } from './errors';

/** The part of EventSource the client uses. */
export interface EventSourceLike {
	onmessage: ((event: MessageEvent<string>) => void) | null;
	onerror: ((event: Event) => void) | null;
	close(): void;
}

export interface LocalClientEnv {
	baseUrl?: string;
	EventSource: new (url: string) => EventSourceLike;
	fetch: typeof fetch;
	/** Connection status changes, for the UI. */
	onStatus?: (status: ConnectionStatus) => void;
	isOnline?: () => boolean;
	random?: () => number;
	setTimeout?: (fn: () => void, ms: number) => unknown;
	clearTimeout?: (handle: unknown) => void;
	/** First retry delay and the cap, in ms. */
	backoff?: { initialMs: number; maxMs: number };
}

type ServerEvent =
	| { type: 'hello'; connectionId: string }
	| { type: 'result'; subId: string; value: JSONValue }
	| { type: 'error'; subId: string; code: string; message: string };

interface Sub {
	name: string;
	args: JSONValue;
	onResult(value: unknown): void;
	onError(error: Error): void;
}

export class LocalLiveClient implements LiveBackend {
	readonly #env: Required<Omit<LocalClientEnv, 'onStatus' | 'baseUrl'>> & Pick<LocalClientEnv, 'onStatus'> & { baseUrl: string };
	readonly #subs = new Map<string, Sub>();
	#nextSubId = 1;
	#source: EventSourceLike | null = null;
	#connectionId: string | null = null;
	#attempt = 0;
	#retryTimer: unknown = null;
	#closed = false;
	/** Subscription changes waiting to go out together. */
	#toAdd = new Set<string>();
	#toRemove = new Set<string>();
	#batchQueued = false;
	/** Batches go out one after another, so an unsubscribe never overtakes its subscribe. */
	#batches: Promise<void> = Promise.resolve();

	constructor(env: LocalClientEnv) {
		this.#env = {
			baseUrl: env.baseUrl ?? '',
			EventSource: env.EventSource,
			fetch: env.fetch,
			onStatus: env.onStatus,
			isOnline: env.isOnline ?? (() => true),
			random: env.random ?? Math.random,
			setTimeout: env.setTimeout ?? ((fn, ms) => setTimeout(fn, ms)),
			clearTimeout: env.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)),
			backoff: env.backoff ?? { initialMs: 500, maxMs: 30_000 }
		};
	}

	get connected(): boolean {
		return this.#connectionId !== null;
	}

	/** Open the stream. Safe to call again to force a reconnect now (e.g. when the browser comes back online). */
	start(): this {
		if (this.#closed) return this;
		this.#env.clearTimeout(this.#retryTimer);
		this.#retryTimer = null;
		this.#source?.close();
		this.#connectionId = null;
		this.#status(this.#attempt === 0 ? 'connecting' : 'reconnecting');
		const source = new this.#env.EventSource(`${this.#env.baseUrl}/api/live`);
		this.#source = source;
		source.onmessage = (event) => {
			if (this.#source !== source) return;
			this.#receive(JSON.parse(event.data) as ServerEvent);
		};
		source.onerror = () => {
			if (this.#source === source) this.#dropped();
		};
		return this;
	}

	close(): void {
		this.#closed = true;
		this.#env.clearTimeout(this.#retryTimer);
		this.#source?.close();
		this.#source = null;
		this.#connectionId = null;
		this.#subs.clear();
	}

	#status(status: ConnectionStatus) {
		this.#env.onStatus?.(status);
	}

	/** The stream failed: drop it and try again after a growing, jittered delay. */
	#dropped() {
		this.#source?.close();
		this.#source = null;
		this.#connectionId = null;
		if (this.#closed) return;
		const { initialMs, maxMs } = this.#env.backoff;
		const ceiling = Math.min(maxMs, initialMs * 2 ** this.#attempt);
		const delay = Math.round(ceiling / 2 + (this.#env.random() * ceiling) / 2);
		this.#attempt += 1;
		this.#status(this.#env.isOnline() ? 'reconnecting' : 'offline');
		this.#retryTimer = this.#env.setTimeout(() => this.start(), delay);
	}

	#receive(event: ServerEvent) {
		switch (event.type) {
			case 'hello':
				this.#connectionId = event.connectionId;
				this.#attempt = 0;
				this.#status('live');
				// A new connection starts empty: everything subscribed so far goes out again.
				this.#toRemove.clear();
				for (const subId of this.#subs.keys()) this.#toAdd.add(subId);
				this.#queueBatch();
				return;
			case 'result': {
				const sub = this.#subs.get(event.subId);
				sub?.onResult(jsonToConvex(event.value));
				return;
			}
			case 'error': {
				const sub = this.#subs.get(event.subId);
				sub?.onError(new LiveError(event.code, event.message));
				return;
			}
		}
	}

	subscribe(
		name: string,
		args: Record<string, unknown>,
		onResult: (value: unknown) => void,
		onError: (error: Error) => void
	): () => void {
		const subId = `s${this.#nextSubId++}`;
		this.#subs.set(subId, { name, args: convexToJson(args as Value), onResult, onError });
		this.#toAdd.add(subId);
		this.#queueBatch();
		return () => {
			if (!this.#subs.delete(subId)) return;
			if (this.#toAdd.delete(subId)) return;
			this.#toRemove.add(subId);
			this.#queueBatch();
		};
	}

	/** Subscriptions made in the same tick (a page mounting ten components) go out in one request. */
	#queueBatch() {
		if (this.#batchQueued) return;
		this.#batchQueued = true;
		queueMicrotask(() => {
			this.#batchQueued = false;
			this.#batches = this.#batches.then(() => this.#sendBatch());
		});
	}

	async #sendBatch() {
		const connectionId = this.#connectionId;
		if (!connectionId) return; // sent on the next hello
		const add = [...this.#toAdd].flatMap((subId) => {
			const sub = this.#subs.get(subId);
			return sub ? [{ subId, name: sub.name, args: sub.args }] : [];
		});
		const remove = [...this.#toRemove];
		this.#toAdd.clear();
		this.#toRemove.clear();
		try {
			if (add.length) await this.#post('/api/live/subscribe', { connectionId, subscriptions: add });
			if (remove.length) await this.#post('/api/live/unsubscribe', { connectionId, subIds: remove });
		} catch (error) {
			if (connectionId !== this.#connectionId) return; // a newer connection re-sends everything
			if (error instanceof LiveError && error.code === 'UNKNOWN_CONNECTION') {
				this.#dropped();
				return;
			}
			for (const { subId } of add)
				this.#subs.get(subId)?.onError(error instanceof LiveError ? error : new LiveError('NETWORK', String(error)));
		}
	}

	async #post(path: string, body: unknown): Promise<unknown> {
		let response: Response;
		try {
			response = await this.#env.fetch(`${this.#env.baseUrl}${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
				credentials: 'same-origin'
			});
		} catch {
			throw new LiveError('NETWORK', 'The server could not be reached; check the connection and try again.');
		}
		let payload: { ok?: boolean; value?: JSONValue; code?: string; message?: string };
		try {
			payload = (await response.json()) as typeof payload;
		} catch {
			throw new LiveError('INTERNAL', `The server answered ${response.status} without a readable body.`, response.status);
		}
		if (!response.ok || payload.ok === false) {
			throw new LiveError(
				payload.code ?? 'INTERNAL',
				payload.message ?? `The server answered ${response.status}.`,
				response.status
			);
		}
		return payload.value;
	}

	async mutate(name: string, args: Record<string, unknown>): Promise<unknown> {
		const value = await this.#post('/api/live/mutation', { name, args: convexToJson(args as Value) });
		return value === undefined ? null : jsonToConvex(value as JSONValue);
	}
}
