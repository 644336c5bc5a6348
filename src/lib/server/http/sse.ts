/**
 * The one server-sent event writer (the live path, the softphone channel, the customer phone
 * page, the inbox): JSON `data:` lines, a `retry:` hint, comment heartbeats so proxies keep it
 * open, a capped backlog so a reader that stops reading cannot grow the server's memory, and
 * one cleanup when the browser goes away (the request aborts) or the server ends it.
 */

/** Browsers reconnect after this long when the stream drops (their own backoff takes over after). */
export const SSE_RETRY_MS = 2_000;
export const SSE_HEARTBEAT_MS = 15_000;
/** A reader this far behind is dropped; it reconnects and starts from fresh results. */
export const SSE_MAX_BACKLOG_BYTES = 4 * 1024 * 1024;

export interface SseSink {
	send(data: unknown): void;
	/** End the stream from the server side. */
	close(): void;
}

/** Stream events from `start`; the function it returns runs once when the stream ends. */
export function sseResponse(signal: AbortSignal, start: (sink: SseSink) => () => void, heartbeatMs = SSE_HEARTBEAT_MS): Response {
	const encoder = new TextEncoder();
	let cleanup = () => {};
	const stream = new ReadableStream<Uint8Array>(
		{
			start(controller) {
				let open = true;
				let stop: (() => void) | null = null;
				const write = (text: string) => {
					if (!open) return;
					try {
						controller.enqueue(encoder.encode(text));
					} catch {
						cleanup();
						return;
					}
					if ((controller.desiredSize ?? 0) < -SSE_MAX_BACKLOG_BYTES) cleanup();
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
		},
		new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 })
	);
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-cache, no-transform',
			connection: 'keep-alive',
			'x-accel-buffering': 'no'
		}
	});
}
