/**
 * A server-sent event stream for the softphone channel and the customer phone page: JSON
 * `data:` lines, a `retry:` hint, comment heartbeats so proxies keep it open, and one cleanup
 * when the browser goes away (the request aborts) or the server ends it.
 */

export const SSE_RETRY_MS = 2_000;
export const SSE_HEARTBEAT_MS = 15_000;

export interface SseSink {
	send(data: unknown): void;
	/** End the stream from the server side. */
	close(): void;
}

/** Stream events from `start`; the function it returns runs once when the stream ends. */
export function sseResponse(signal: AbortSignal, start: (sink: SseSink) => () => void, heartbeatMs = SSE_HEARTBEAT_MS): Response {
	const encoder = new TextEncoder();
	let cleanup = () => {};
	const stream = new ReadableStream<Uint8Array>({
		start(controller) {
			let open = true;
			let stop: (() => void) | null = null;
			const write = (text: string) => {
				if (!open) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					cleanup();
				}
			};
			const heartbeat = setInterval(() => write(': ping\n\n'), heartbeatMs);
			cleanup = () => {
				if (!open) return;
				open = false;
				clearInterval(heartbeat);
				signal.removeEventListener('abort', cleanup);
				stop?.();
				try {
					controller.close();
				} catch {
					// Already closed by the runtime.
				}
			};
			write(`retry: ${SSE_RETRY_MS}\n\n`);
			stop = start({ send: (data) => write(`data: ${JSON.stringify(data)}\n\n`), close: () => cleanup() });
			if (!open) stop();
			if (signal.aborted) cleanup();
			else signal.addEventListener('abort', cleanup);
		},
		cancel() {
			cleanup();
		}
	});
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache, no-transform',
			connection: 'keep-alive',
			'x-accel-buffering': 'no'
		}
	});
}

export function json(body: unknown, status = 200): Response {
	return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

export function problem(status: number, code: string, message: string): Response {
	return json({ ok: false, code, message }, status);
}

/** 400 naming each field that failed validation and why (zod's issues), `what` first when given. */
export function badRequest(issues: readonly { path: readonly PropertyKey[]; message: string }[], what?: string): Response {
	const text = issues.map((i) => `${i.path.map(String).join('.') || 'body'}: ${i.message}`).join('; ');
	return problem(400, 'BAD_REQUEST', what ? `${what}: ${text}` : text);
}
