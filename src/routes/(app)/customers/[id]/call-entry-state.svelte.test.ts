import { describe, expect, it } from 'vitest';
import type { TCallDetail } from '$lib/server/trpc/routers/calls';
import { CallEntry } from './call-entry-state.svelte';

const call = (recording: TCallDetail['recording']): TCallDetail => ({
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
	recording
});

describe('CallEntry', () => {
	it('turns processing into stored on refresh', async () => {
		const entry = new CallEntry(call({ status: 'processing', attempts: 0, lastError: null }), () => Promise.resolve(call({ status: 'stored', seconds: 245, channels: 2 })));
		expect(entry.processing).toBe(true);
		await entry.refresh();
		expect(entry.processing).toBe(false);
		expect(entry.call.recording).toEqual({ status: 'stored', seconds: 245, channels: 2 });
	});

	it('keeps what it showed when a poll fails', async () => {
		const entry = new CallEntry(call({ status: 'processing', attempts: 2, lastError: '503' }), () => Promise.reject(new Error('offline')));
		await entry.refresh();
		expect(entry.call.recording).toEqual({ status: 'processing', attempts: 2, lastError: '503' });
	});
});
