/**
 * The browser's Convex token, from GET /api/live/token. Convex's client reads a null token as
 * "signed out" and stops authenticating the tab for good, so null is kept for the server's own
 * answer that nobody is signed in (401, or another refusal). A 502/503 during a deploy or a dropped network is
 * retried with growing pauses until the server answers; meanwhile Convex keeps the token it has.
 */
export interface TokenFetchOptions {
	fetch?: typeof fetch;
	/** Waits between attempts; a test passes one that does not wait. */
	sleep?: (ms: number) => Promise<void>;
	/** First and longest pause, in milliseconds. */
	firstDelayMs?: number;
	maxDelayMs?: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const RETRY = Symbol('retry');

/** One attempt: the token, null when signed out, or RETRY when the answer says nothing about the sign-in. */
async function attempt(fetchImpl: typeof fetch): Promise<string | null | typeof RETRY> {
	let response: Response;
	try {
		response = await fetchImpl('/api/live/token', { credentials: 'same-origin', cache: 'no-store' });
	} catch {
		return RETRY;
	}
	// 408, 429 and 5xx say the server is busy or restarting, not who is signed in.
	if (response.status === 408 || response.status === 429 || response.status >= 500) return RETRY;
	if (!response.ok) return null;
	try {
		const body = (await response.json()) as { token?: unknown };
		return typeof body.token === 'string' ? body.token : null;
	} catch {
		return RETRY;
	}
}

/** The token for the signed-in user, or null once the server says nobody is signed in. */
export async function fetchConvexToken(options: TokenFetchOptions = {}): Promise<string | null> {
	const fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
	const sleep = options.sleep ?? wait;
	const maxDelay = options.maxDelayMs ?? 30_000;
	let delay = options.firstDelayMs ?? 500;
	for (;;) {
		const result = await attempt(fetchImpl);
		if (result !== RETRY) return result;
		await sleep(delay + Math.floor(Math.random() * (delay / 4)));
		delay = Math.min(delay * 2, maxDelay);
	}
}
