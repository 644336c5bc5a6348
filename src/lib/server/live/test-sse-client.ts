/**
 * A minimal reader for this server's event stream, for tests and the bench (browsers use
 * EventSource). Yields each `data:` payload parsed as JSON; comments and `retry:` are skipped.
 */
import type { LiveEvent } from './hub';

export async function* readEvents(
	body: ReadableStream<Uint8Array>
): AsyncGenerator<LiveEvent | { type: 'comment'; text: string }> {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	try {
		for (;;) {
			const { value, done } = await reader.read();
			if (done) return;
			buffer += decoder.decode(value, { stream: true });
			let end: number;
			while ((end = buffer.indexOf('\n\n')) >= 0) {
				const block = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				const data = block
					.split('\n')
					.filter((line) => line.startsWith('data:'))
					.map((line) => line.slice(5).trimStart())
					.join('\n');
				if (data) yield JSON.parse(data) as LiveEvent;
				else if (block.startsWith(':')) yield { type: 'comment', text: block.slice(1).trim() };
			}
		}
	} finally {
		reader.releaseLock();
	}
}

/** Pulls events from a stream on demand: `next(predicate)` resolves with the first matching event. */
export class EventQueue {
	readonly #events: (LiveEvent | { type: 'comment'; text: string })[] = [];
	#waiter: (() => void) | undefined;
	#ended = false;

	constructor(body: ReadableStream<Uint8Array>) {
		void (async () => {
			try {
				for await (const event of readEvents(body)) {
					this.#events.push(event);
					this.#waiter?.();
				}
			} catch {
				// The stream was cancelled: treat as ended.
			} finally {
				this.#ended = true;
				this.#waiter?.();
			}
		})();
	}

	get buffered(): number {
		return this.#events.length;
	}

	async next<E extends LiveEvent | { type: 'comment'; text: string }>(
		predicate: (event: LiveEvent | { type: 'comment'; text: string }) => event is E,
		timeoutMs = 2_000
	): Promise<E> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const index = this.#events.findIndex(predicate);
			if (index >= 0) return this.#events.splice(index, 1)[0] as E;
			if (this.#ended) throw new Error('the event stream ended');
			const left = deadline - Date.now();
			if (left <= 0) throw new Error('timed out waiting for a live event');
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, left);
				this.#waiter = () => {
					clearTimeout(timer);
					this.#waiter = undefined;
					resolve();
				};
			});
		}
	}
}

export const isHello = (e: { type: string }): e is Extract<LiveEvent, { type: 'hello' }> => e.type === 'hello';
export const isResultFor =
	(subId: string) =>
	(e: { type: string }): e is Extract<LiveEvent, { type: 'result' }> =>
		e.type === 'result' && (e as { subId?: string }).subId === subId;
export const isErrorFor =
	(subId: string) =>
	(e: { type: string }): e is Extract<LiveEvent, { type: 'error' }> =>
		e.type === 'error' && (e as { subId?: string }).subId === subId;
