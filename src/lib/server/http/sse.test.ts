import { describe, expect, it } from 'vitest';
import { SSE_MAX_BACKLOG_BYTES, SSE_RETRY_MS, sseResponse } from './sse';

async function readAll(response: Response): Promise<string> {
	return await new Response(response.body).text();
}

describe('sseResponse', () => {
	it('sends the retry hint and JSON data lines, and runs the stop function once when the server closes', async () => {
		let stops = 0;
		const response = sseResponse(new AbortController().signal, (sink) => {
			sink.send({ type: 'hello' });
			sink.close();
			return () => stops++;
		});
		expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		expect(await readAll(response)).toBe(`retry: ${SSE_RETRY_MS}\n\ndata: {"type":"hello"}\n\n`);
		expect(stops).toBe(1);
	});

	it('ends the stream when the request aborts', async () => {
		const abort = new AbortController();
		let stops = 0;
		const response = sseResponse(abort.signal, () => () => stops++);
		abort.abort();
		expect(await readAll(response)).toBe(`retry: ${SSE_RETRY_MS}\n\n`);
		expect(stops).toBe(1);
	});

	it('drops a reader whose backlog passes the cap instead of buffering without end', () => {
		let stops = 0;
		let send: (data: unknown) => void = () => {};
		sseResponse(new AbortController().signal, (sink) => {
			send = (data) => sink.send(data);
			return () => stops++;
		});
		const chunk = 'x'.repeat(64 * 1024);
		for (let i = 0; i * chunk.length <= SSE_MAX_BACKLOG_BYTES + 2 * chunk.length && stops === 0; i++) send(chunk);
		expect(stops).toBe(1);
	});
});
