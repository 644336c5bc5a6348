import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sseResponse } from '$lib/server/http/sse';
import { SESSION_RECHECK_MS, sessionBoundSignal } from './session-bound-signal';

beforeEach(() => {
	vi.useFakeTimers();
});
afterEach(() => {
	vi.useRealTimers();
});

describe('sessionBoundSignal', () => {
	it('aborts at the first re-check that finds the session gone, at most a minute after it went', async () => {
		expect(SESSION_RECHECK_MS).toBeLessThanOrEqual(60_000);
		let valid = true;
		const check = vi.fn(() => Promise.resolve(valid));
		const signal = sessionBoundSignal(new AbortController().signal, check);
		await vi.advanceTimersByTimeAsync(SESSION_RECHECK_MS * 3);
		expect(check).toHaveBeenCalledTimes(3);
		expect(signal.aborted).toBe(false);

		valid = false;
		await vi.advanceTimersByTimeAsync(SESSION_RECHECK_MS);
		expect(signal.aborted).toBe(true);
		await vi.advanceTimersByTimeAsync(SESSION_RECHECK_MS * 3);
		expect(check).toHaveBeenCalledTimes(4);
	});

	it('follows the request: aborts with it and stops checking', async () => {
		const request = new AbortController();
		const check = vi.fn(() => Promise.resolve(true));
		const signal = sessionBoundSignal(request.signal, check);
		request.abort();
		expect(signal.aborted).toBe(true);
		await vi.advanceTimersByTimeAsync(SESSION_RECHECK_MS * 2);
		expect(check).not.toHaveBeenCalled();
	});

	it('keeps the stream through a failed check (the archive did not answer)', async () => {
		const check = vi.fn().mockRejectedValueOnce(new Error('connection reset')).mockResolvedValue(true);
		const signal = sessionBoundSignal(new AbortController().signal, check);
		await vi.advanceTimersByTimeAsync(SESSION_RECHECK_MS * 2);
		expect(signal.aborted).toBe(false);
	});

	it('ends an open event stream when the session goes, so a removed user stops receiving', async () => {
		let valid = true;
		const stopped = vi.fn();
		const response = sseResponse(
			sessionBoundSignal(new AbortController().signal, () => Promise.resolve(valid)),
			() => stopped
		);
		const reader = response.body!.getReader();
		expect(new TextDecoder().decode((await reader.read()).value)).toContain('retry:');
		valid = false;
		await vi.advanceTimersByTimeAsync(SESSION_RECHECK_MS);
		expect(stopped).toHaveBeenCalledOnce();
		// What was queued (heartbeats) drains, then the stream is done.
		let chunks = 0;
		while (!(await reader.read()).done) chunks += 1;
		expect(chunks).toBeLessThanOrEqual(SESSION_RECHECK_MS / 15_000);
	});
});
