import { describe, expect, it } from 'vitest';
import { api } from './_generated/api';
import { as, newConvex, rejectsWith, type TestConvex } from './test.setup';

const CALL = `CA${'a'.repeat(32)}`;
const GT = `GT${'b'.repeat(32)}`;
const line = (sequenceId: number, speaker: 'customer' | 'agent', text: string, final: boolean) => ({
	callSid: CALL,
	transcriptionSid: GT,
	sequenceId,
	speaker,
	text,
	final,
	at: 1_000_000 + sequenceId
});
const add = (t: TestConvex, l: ReturnType<typeof line>) => as(t, 'system').mutation(api.liveTranscript.addLine, l);
const shown = (t: TestConvex) => as(t, 'supervisor').query(api.liveTranscript.forCall, { callSid: CALL });

async function onCall(t: TestConvex, agentId: string) {
	await t.run((ctx) =>
		ctx.db.insert('active_calls', { callSid: CALL, direction: 'inbound', agentId, from: '+14155550123', to: '+14155550100', state: 'in-progress', startedAt: 1, muted: false, recording: true })
	);
}

describe('liveTranscript', () => {
	it('keeps final lines in SequenceId order whatever order they arrive in, and a repeat once', async () => {
		const t = newConvex();
		expect(await add(t, line(3, 'agent', 'How can I help?', true))).toBe('added');
		expect(await add(t, line(2, 'customer', 'Hello there.', true))).toBe('added');
		expect(await add(t, line(3, 'agent', 'How can I help?', true))).toBe('repeat');
		expect((await shown(t)).map((l) => [l.sequenceId, l.speaker, l.text, l.final])).toEqual([
			[2, 'customer', 'Hello there.', true],
			[3, 'agent', 'How can I help?', true]
		]);
	});

	it('replaces a speaker\'s partial line as words come, drops older partials, and removes it when its final arrives', async () => {
		const t = newConvex();
		expect(await add(t, line(2, 'customer', 'my order', false))).toBe('added');
		expect(await add(t, line(4, 'customer', 'my order has not', false))).toBe('replaced');
		expect(await add(t, line(3, 'customer', 'my order has', false))).toBe('stale');
		expect(await add(t, line(5, 'agent', 'I see', false))).toBe('added');
		expect((await shown(t)).map((l) => [l.speaker, l.text, l.final])).toEqual([
			['customer', 'my order has not', false],
			['agent', 'I see', false]
		]);
		expect(await add(t, line(6, 'customer', 'My order has not arrived.', true))).toBe('added');
		// A partial older than the final that closed its line comes too late.
		expect(await add(t, line(4, 'customer', 'my order has not', false))).toBe('stale');
		expect((await shown(t)).map((l) => [l.speaker, l.text, l.final])).toEqual([
			['agent', 'I see', false],
			['customer', 'My order has not arrived.', true]
		]);
		await as(t, 'system').mutation(api.liveTranscript.stopped, { callSid: CALL });
		expect((await shown(t)).map((l) => l.text)).toEqual(['My order has not arrived.']);
	});

	it('shows the transcript to the agent on the call and supervisors, and refuses other agents', async () => {
		const t = newConvex();
		await onCall(t, 'agent-1');
		await add(t, line(1, 'customer', 'Hi.', true));
		expect(await as(t, 'agent', 'agent-1').query(api.liveTranscript.forCall, { callSid: CALL })).toHaveLength(1);
		expect(await as(t, 'manager').query(api.liveTranscript.forCall, { callSid: CALL })).toHaveLength(1);
		await rejectsWith(as(t, 'agent', 'agent-2').query(api.liveTranscript.forCall, { callSid: CALL }), 'NOT_YOUR_CALL');
		await rejectsWith(as(t, 'agent', 'agent-1').mutation(api.liveTranscript.addLine, line(2, 'agent', 'x', true)), 'FORBIDDEN');
	});

	it('sweeps lines hours old when a transcription starts', async () => {
		const t = newConvex();
		await add(t, line(1, 'customer', 'Long ago.', true));
		expect(await as(t, 'system').mutation(api.liveTranscript.started, { now: 1_000_000 + 5 * 3600_000 })).toBe(1);
		expect(await shown(t)).toEqual([]);
	});
});
