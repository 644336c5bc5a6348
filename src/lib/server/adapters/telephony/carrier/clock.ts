/**
 * Time for the carrier. Every wait in a call (a Say, a ring timeout, a queue's hold loop) goes
 * through a Clock, so tests drive hours of calls in milliseconds with a VirtualClock while the
 * app runs on the RealClock. Real I/O (webhook requests) is `track`ed so a virtual advance
 * first lets every request in flight finish, keeping event order deterministic.
 */

/** Thrown into a waiting call flow when its run was interrupted (hang-up, REST redirect). */
export class Interrupted extends Error {
	constructor(readonly reason: unknown) {
		super('interrupted');
		this.name = 'Interrupted';
	}
}

export interface Clock {
	now(): Date;
	/** Resolve after `ms`, or reject with Interrupted when `signal` aborts first. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	/** Mark real I/O in flight; a virtual clock waits for it before moving time on. */
	track<T>(work: Promise<T>): Promise<T>;
}

function interruptedBy(signal: AbortSignal): Interrupted {
	return new Interrupted(signal.reason);
}

export class RealClock implements Clock {
	now(): Date {
		return new Date();
	}

	sleep(ms: number, signal?: AbortSignal): Promise<void> {
		return new Promise((resolve, reject) => {
			if (signal?.aborted) return reject(interruptedBy(signal));
			const onAbort = () => {
				clearTimeout(timer);
				reject(interruptedBy(signal!));
			};
			const timer = setTimeout(() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			}, Math.max(0, ms));
			timer.unref();
			signal?.addEventListener('abort', onAbort, { once: true });
		});
	}

	track<T>(work: Promise<T>): Promise<T> {
		return work;
	}
}

interface Timer {
	at: number;
	seq: number;
	fire: () => void;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class VirtualClock implements Clock {
	#now: number;
	#seq = 0;
	#timers: Timer[] = [];
	#inflight = new Set<Promise<unknown>>();

	constructor(start = new Date('2026-01-05T15:00:00Z')) {
		this.#now = start.getTime();
	}

	now(): Date {
		return new Date(this.#now);
	}

	sleep(ms: number, signal?: AbortSignal): Promise<void> {
		return new Promise((resolve, reject) => {
			if (signal?.aborted) return reject(interruptedBy(signal));
			const timer: Timer = {
				at: this.#now + Math.max(0, ms),
				seq: this.#seq++,
				fire: () => {
					signal?.removeEventListener('abort', onAbort);
					resolve();
				}
			};
			const onAbort = () => {
				this.#timers = this.#timers.filter((t) => t !== timer);
				reject(interruptedBy(signal!));
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.#timers.push(timer);
		});
	}

	track<T>(work: Promise<T>): Promise<T> {
		this.#inflight.add(work);
		const done = () => this.#inflight.delete(work);
		work.then(done, done);
		return work;
	}

	/** Let every microtask, tracked request and follow-up settle without moving time. */
	async settle(): Promise<void> {
		let quiet = 0;
		while (quiet < 3) {
			if (this.#inflight.size) {
				quiet = 0;
				await Promise.allSettled([...this.#inflight]);
			}
			await turn();
			quiet = this.#inflight.size ? 0 : quiet + 1;
		}
	}

	/** Move time on by `ms`, firing each due timer in order and settling after each. */
	async advance(ms: number): Promise<void> {
		const target = this.#now + ms;
		await this.settle();
		for (;;) {
			const next = this.#next();
			if (!next || next.at > target) break;
			this.#timers = this.#timers.filter((t) => t !== next);
			this.#now = Math.max(this.#now, next.at);
			next.fire();
			await this.settle();
		}
		this.#now = target;
		await this.settle();
	}

	/** Advance in steps until `done()` holds; throws after `maxMs` of virtual time. */
	async until(done: () => boolean, maxMs = 600_000, stepMs = 250): Promise<void> {
		await this.settle();
		for (let waited = 0; !done(); waited += stepMs) {
			if (waited >= maxMs) throw new Error(`condition not met within ${maxMs} ms of virtual time`);
			await this.advance(stepMs);
		}
	}

	/** Pending timers, for diagnostics. */
	get pending(): number {
		return this.#timers.length;
	}

	#next(): Timer | undefined {
		let best: Timer | undefined;
		for (const t of this.#timers) if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
		return best;
	}
}
