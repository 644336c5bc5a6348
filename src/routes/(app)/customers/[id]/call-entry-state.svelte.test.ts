import { describe, expect, it } from 'vitest';
import type { TCallDetail } from '$lib/server/trpc/routers/calls';
import { CallEntry } from './call-entry-state.svelte';

const NO_TRANSCRIPT: TCallDetail['transcript'] = { status: 'none', attempts: 0, reason: null, language: null, engine: null, model: null, lines: [] };

const call = (recording: TCallDetail['recording'], transcript = NO_TRANSCRIPT): TCallDetail => ({
	callId: '00000000-0000-4000-8000-000000000009',
	callSid: `CA${'1'.repeat(32)}`,
	direction: 'inbound',
	outcome: 'answered',
	queue: 'sales',
	agentId: 'u1',
	agentName: 'Alice',
	missedBy: [],
	from: '+12125550123',
	waitSeconds: 12,
	talkSeconds: 245,
	wrapupSeconds: 30,
	disposition: 'Resolved',
	notes: '',
	recording,
	transcript
});

describe('CallEntry', () => {
	it('turns processing into stored on refresh', async () => {
		const entry = new CallEntry(call({ status: 'processing', attempts: 0, lastError: null }), () => Promise.resolve(call({ status: 'stored', seconds: 245, channels: 2 })));
		expect(entry.processing).toBe(true);
		await entry.refresh();
		expect(entry.processing).toBe(false);
		expect(entry.call.recording).toEqual({ status: 'stored', seconds: 245, channels: 2 });
	});

	it('keeps polling while the transcript is queued or running, and stops once it is done or failed', async () => {
		const stored = { status: 'stored', seconds: 245, channels: 2 } as const;
		const done = { ...NO_TRANSCRIPT, status: 'done' as const, attempts: 1, lines: [{ speaker: 'agent' as const, start: 0, end: 1, text: 'Hello' }] };
		const entry = new CallEntry(call(stored, { ...NO_TRANSCRIPT, status: 'queued' }), () => Promise.resolve(call(stored, done)));
		expect(entry.processing).toBe(true);
		await entry.refresh();
		expect(entry.processing).toBe(false);
		expect(new CallEntry(call(stored, { ...NO_TRANSCRIPT, status: 'transcribing', attempts: 1 })).processing).toBe(true);
		expect(new CallEntry(call(stored, { ...NO_TRANSCRIPT, status: 'failed', attempts: 1, reason: 'silent' })).processing).toBe(false);
	});

	it('keeps what it showed when a poll fails', async () => {
		const entry = new CallEntry(call({ status: 'processing', attempts: 2, lastError: '503' }), () => Promise.reject(new Error('offline')));
		await entry.refresh();
		expect(entry.call.recording).toEqual({ status: 'processing', attempts: 2, lastError: '503' });
	});
});
