/**
 * A fetch for @google/genai that retries 429 and 5xx with exponential backoff, waiting as long
 * as Gemini asks: the `Retry-After` header, or the `google.rpc.RetryInfo` detail (`"retryDelay":
 * "13s"`) in the error body. The SDK's own retry option ignores both, so it stays off. Every
 * other answer (success, 4xx refusals) goes back to the SDK untouched.
 */
export interface RetryPolicy {
	/** Tries per request, first included. */
	maxAttempts: number;
	/** First backoff delay; doubles each time, with full jitter. */
	baseDelayMs: number;
	/** Longest wait; when Gemini asks for more, the last answer is returned instead. */
	maxDelayMs: number;
	/** Give up on one attempt (connection, answer and body) after this long; waits between attempts do not count. */
	attemptTimeoutMs: number;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);

/** Seconds from `Retry-After` (delta-seconds or an HTTP date). */
function retryAfterMs(header: string | null, now: number): number | undefined {
	if (!header) return undefined;
	if (/^\d+(\.\d+)?$/.test(header.trim())) return Number(header) * 1000;
	const at = Date.parse(header);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `retryDelay` of a google.rpc.RetryInfo detail, e.g. "13s" or "0.5s". */
async function retryInfoMs(res: Response): Promise<number | undefined> {
	if (!res.headers.get('content-type')?.includes('json')) return undefined;
	try {
		const body = (await res.clone().json()) as { error?: { details?: { '@type'?: string; retryDelay?: string }[] } };
		const info = body.error?.details?.find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'));
		const m = /^(\d+(?:\.\d+)?)s$/.exec(info?.retryDelay ?? '');
		return m ? Number(m[1]) * 1000 : undefined;
	} catch {
		return undefined;
	}
}

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
	return new Promise((resolve, reject) => {
		if (signal?.aborted) return reject(signal.reason as Error);
		const timer = setTimeout(done, ms);
		function done() {
			signal?.removeEventListener('abort', abort);
			resolve();
		}
		function abort() {
			clearTimeout(timer);
			reject(signal!.reason as Error);
		}
		signal?.addEventListener('abort', abort, { once: true });
	});
}

export function retryingFetch(policy: RetryPolicy, inner: typeof fetch = fetch): typeof fetch {
	return async (input, init) => {
		for (let attempt = 1; ; attempt++) {
			const timeout = AbortSignal.timeout(policy.attemptTimeoutMs);
			const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
			const res = await inner(input, { ...init, signal });
			if (!RETRYABLE.has(res.status) || attempt >= policy.maxAttempts) return res;
			const asked = retryAfterMs(res.headers.get('retry-after'), Date.now()) ?? (await retryInfoMs(res));
			const backoff = Math.random() * policy.baseDelayMs * 2 ** (attempt - 1);
			const wait = asked ?? backoff;
			if (wait > policy.maxDelayMs) return res;
			await res.body?.cancel();
			await sleep(wait, init?.signal);
		}
	};
}
