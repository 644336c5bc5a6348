/**
 * The composer's side of a thread lock: watch the lock live, take it when the agent starts
 * typing, renew it by heartbeat while they hold it, give it back when they leave or clear the
 * draft. The server's send path checks the lock again, so this only keeps the screen honest.
 * Construct during component initialization (it subscribes to a live query).
 */
import { errorMessage } from '$lib/errors';
import { api } from '$convex/_generated/api';
import { liveQuery, mutate, LiveError } from '$lib/live';

/** Well inside convex/smsLocks.ts LEASE_MS (20 s), so one lost beat does not lose the lock. */
export const HEARTBEAT_MS = 5000;

export class ReplyLock {
	readonly #threadKey: string;
	readonly #me: string;
	readonly lock;
	/** The clock the lease is judged by; ticks so an expired lease frees the composer without a push. */
	now = $state(Date.now());
	/** Why the agent cannot hold the lock (LOCK_HELD_BY, LOCK_LOST...), or null. */
	error = $state<{ code: string; message: string } | null>(null);
	#beat: ReturnType<typeof setInterval> | undefined;
	#acquiring: Promise<boolean> | null = null;

	constructor(threadKey: string, me: string) {
		this.#threadKey = threadKey;
		this.#me = me;
		this.lock = liveQuery(api.smsLocks.forThread, { threadKey });
		$effect(() => {
			const tick = setInterval(() => (this.now = Date.now()), 1000);
			return () => {
				clearInterval(tick);
				this.release();
			};
		});
	}

	/** The live lease, or null when nobody holds one. */
	get holder() {
		const lock = this.lock.data;
		return lock && lock.expiresAt > this.now ? lock : null;
	}

	get mine(): boolean {
		return this.holder?.holderId === this.#me;
	}

	/** Someone else's live lease: the composer says who and refuses to send. */
	get otherHolder() {
		const holder = this.holder;
		return holder && holder.holderId !== this.#me ? holder : null;
	}

	/** Set when a supervisor took the thread from this agent. */
	get takenFromMe(): string | null {
		const lock = this.lock.data;
		return lock && lock.previousHolderId === this.#me && lock.holderId !== this.#me ? lock.holderName : null;
	}

	/** Take (or keep) the lock; false with `error` set when someone else has it. */
	acquire(): Promise<boolean> {
		if (this.mine && this.#beat) return Promise.resolve(true);
		this.#acquiring ??= this.#take().finally(() => (this.#acquiring = null));
		return this.#acquiring;
	}

	async #take(): Promise<boolean> {
		try {
			await mutate(api.smsLocks.acquire, { threadKey: this.#threadKey });
			this.error = null;
			this.#startBeating();
			return true;
		} catch (error) {
			this.#fail(error);
			return false;
		}
	}

	#startBeating(): void {
		clearInterval(this.#beat);
		this.#beat = setInterval(() => {
			mutate(api.smsLocks.heartbeat, { threadKey: this.#threadKey }).catch((error: unknown) => {
				this.#stopBeating();
				this.#fail(error);
			});
		}, HEARTBEAT_MS);
	}

	#stopBeating(): void {
		clearInterval(this.#beat);
		this.#beat = undefined;
	}

	#fail(error: unknown): void {
		this.error =
			error instanceof LiveError
				? { code: error.code, message: error.message }
				: { code: 'LOCK_FAILED', message: errorMessage(error) };
	}

	/** A supervisor takes the thread from whoever holds it; that agent's composer says so. */
	async takeOver(): Promise<boolean> {
		try {
			await mutate(api.smsLocks.takeOver, { threadKey: this.#threadKey });
			this.error = null;
			this.#startBeating();
			return true;
		} catch (error) {
			this.#fail(error);
			return false;
		}
	}

	/** The server released it on send: stop renewing without another round trip. */
	sent(): void {
		this.#stopBeating();
		this.error = null;
	}

	/** Give the lock back (left the thread, cleared the draft). Never throws. */
	release(): void {
		const held = this.#beat !== undefined;
		this.#stopBeating();
		if (held) mutate(api.smsLocks.release, { threadKey: this.#threadKey }).catch(() => {});
	}
}
