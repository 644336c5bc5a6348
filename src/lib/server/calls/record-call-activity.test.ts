import { describe, expect, it } from 'vitest';
import { callSummary, formatDuration } from './record-call-activity';

describe('callSummary', () => {
	const base = { direction: 'inbound' as const, agentName: 'Alice', talkSeconds: 252, waitSeconds: 65 };
	it('says how each kind of call ended, with the duration that matters', () => {
		expect(callSummary({ ...base, outcome: 'answered' })).toBe('Inbound call, answered by Alice, 4m 12s');
		expect(callSummary({ ...base, outcome: 'answered', agentName: null, direction: 'outbound' })).toBe('Outbound call, answered by an agent, 4m 12s');
		expect(callSummary({ ...base, outcome: 'voicemail' })).toBe('Inbound call, voicemail left');
		expect(callSummary({ ...base, outcome: 'abandoned' })).toBe('Inbound call, abandoned after 1m 05s waiting');
		expect(callSummary({ ...base, outcome: 'rejected' })).toBe('Inbound call, rejected');
	});

	it('names the agents the call rang out on', () => {
		expect(callSummary({ ...base, outcome: 'answered', missedBy: ['Bob'] })).toBe('Inbound call, answered by Alice, 4m 12s (missed by Bob)');
		expect(callSummary({ ...base, outcome: 'abandoned', missedBy: ['Bob', 'Carol'] })).toBe('Inbound call, abandoned after 1m 05s waiting (missed by Bob, Carol)');
		expect(callSummary({ ...base, outcome: 'answered', missedBy: [] })).toBe('Inbound call, answered by Alice, 4m 12s');
	});

	it('formats durations', () => {
		expect(formatDuration(0)).toBe('0s');
		expect(formatDuration(45)).toBe('45s');
		expect(formatDuration(60)).toBe('1m 00s');
		expect(formatDuration(null)).toBe('0s');
	});
});
