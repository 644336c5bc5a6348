/**
 * Keeps a softphone's access token fresh. The Voice SDK asks about 10 s before expiry
 * (`tokenWillExpire`); when that refresh fails, the Device stops re-registering once the token
 * has expired (20104/31205) while the agent still looks ready, so routed calls ring out and the
 * agent is marked away. This retries with backoff, says "not ready" meanwhile (the caller's
 * `onFailing`) so routing stops offering calls, and registers the device again once a token
 * arrives.
 */

/** Waits between attempts: quick at first, then every 30 s until a token comes. */
export const TOKEN_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;

/** Voice SDK codes for a token that is invalid or has expired: the device is no longer registered. */
export const TOKEN_ERROR_CODES: ReadonlySet<number> = new Set([20101, 20104, 31202, 31204, 31205]);

export interface TokenRefreshDeps {
	/** A new access token from the server. */
	fetchToken(): Promise<string>;
	/** Hand it to the device (`device.updateToken`). */
	apply(token: string): void;
	/** Register the device again (`device.register`), after a failure or an expired token. */
	register(): Promise<void>;
	/** A refresh failed: the agent cannot be offered calls until one succeeds. */
	onFailing(error: unknown): void;
	/** A token arrived after failures, and registration was asked again. */
	onRecovered(): void;
	delaysMs?: readonly number[];
	setTimer?: (run: () => void, ms: number) => unknown;
	clearTimer?: (handle: unknown) => void;
}

export class TokenRefresher {
	readonly #deps: TokenRefreshDeps;
	readonly #delays: readonly number[];
	#failures = 0;
	/** The device must register again once a token arrives (a refresh failed, or the token expired). */
	#mustRegister = false;
	#running = false;
	#timer: unknown = null;
	#stopped = false;

	constructor(deps: TokenRefreshDeps) {
		this.#deps = deps;
		this.#delays = deps.delaysMs ?? TOKEN_RETRY_DELAYS_MS;
	}

	/** The device reported an expired or invalid token: fetch one and register again. */
	expired(error: unknown): void {
		this.#mustRegister = true;
		this.#deps.onFailing(error);
		void this.refresh();
	}

	/** Fetch a token now (tokenWillExpire, or a retry); one attempt at a time. */
	async refresh(): Promise<void> {
		if (this.#running || this.#stopped) return;
		this.#running = true;
		this.#cancelTimer();
		try {
			const token = await this.#deps.fetchToken();
			if (this.#stopped) return;
			this.#deps.apply(token);
			if (this.#mustRegister) {
				await this.#deps.register();
				this.#mustRegister = false;
				this.#failures = 0;
				this.#deps.onRecovered();
			}
		} catch (error) {
			if (this.#stopped) return;
			this.#mustRegister = true;
			this.#deps.onFailing(error);
			const delay = this.#delays[Math.min(this.#failures, this.#delays.length - 1)] ?? 30_000;
			this.#failures += 1;
			this.#timer = (this.#deps.setTimer ?? setTimeout)(() => {
				this.#timer = null;
				void this.refresh();
			}, delay);
		} finally {
			this.#running = false;
		}
	}

	stop(): void {
		this.#stopped = true;
		this.#cancelTimer();
	}

	#cancelTimer(): void {
		if (this.#timer === null) return;
		(this.#deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.#timer);
		this.#timer = null;
	}
}
