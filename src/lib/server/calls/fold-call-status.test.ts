import { describe, expect, it } from 'vitest';
import { foldCallStatus, type CallFacts, type StatusEvent } from './fold-call-status';

const t0 = new Date('2026-11-24T09:00:00Z');
const at = (s: number) => new Date(t0.getTime() + s * 1000);

const empty = (receivedAt: Date): CallFacts => ({
	status: 'queued',
	statusRank: 0,
	receivedAt,
	ringingAt: null,
	answeredAt: null,
	endedAt: null,
	voicemailAt: null,
	rejectedAt: null,
	agentId: null,
	agentCallSid: null,
	talkSeconds: null,
	waitSeconds: null,
	outcome: null
});

function permutations<T>(items: T[]): T[][] {
	if (items.length <= 1) return [items];
	return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const AGENT_LEG = 'CA' + 'b'.repeat(32);
const customer: StatusEvent[] = [
	{ leg: 'customer', status: 'initiated', at: at(0), callSid: 'CA1' },
	{ leg: 'customer', status: 'ringing', at: at(1), callSid: 'CA1' },
	{ leg: 'customer', status: 'in-progress', at: at(2), callSid: 'CA1' },
	{ leg: 'customer', status: 'completed', at: at(90), callSid: 'CA1', durationSeconds: 88 }
];
const agent: StatusEvent[] = [
	{ leg: 'agent', status: 'initiated', at: at(3), callSid: AGENT_LEG, agentId: 'u1' },
	{ leg: 'agent', status: 'ringing', at: at(4), callSid: AGENT_LEG, agentId: 'u1' },
	{ leg: 'agent', status: 'in-progress', at: at(10), callSid: AGENT_LEG, agentId: 'u1' },
	{ leg: 'agent', status: 'completed', at: at(89), callSid: AGENT_LEG, agentId: 'u1', durationSeconds: 79 }
];

describe('foldCallStatus', () => {
	it('reaches the same final state from all 24 orders of the customer leg, with duplicates', () => {
		const results = permutations(customer).map((order) => [...order, ...order].reduce(foldCallStatus, empty(at(5))));
		expect(results).toHaveLength(24);
		for (const r of results) {
			expect(r).toMatchObject({ status: 'completed', statusRank: 3, receivedAt: at(0), ringingAt: at(1), endedAt: at(90) });
			expect(r.outcome).toBe('abandoned');
			expect(r.waitSeconds).toBe(90);
		}
	});

	it('reaches "answered" with agent, talk and wait from all 24 orders of the agent leg', () => {
		for (const order of permutations(agent)) {
			const r = [customer[0], ...order, customer[3]].flatMap((e) => (e ? [e] : [])).reduce(foldCallStatus, empty(at(0)));
			expect(r).toMatchObject({ outcome: 'answered', agentId: 'u1', agentCallSid: AGENT_LEG, answeredAt: at(10), talkSeconds: 79, waitSeconds: 10 });
		}
	});

	it('has no outcome while the call goes on; rejected and voicemail win as facts say', () => {
		const ringing = foldCallStatus(empty(at(0)), customer[1] as StatusEvent);
		expect(ringing.outcome).toBeNull();
		expect(foldCallStatus({ ...empty(at(0)), voicemailAt: at(30) }, customer[3] as StatusEvent).outcome).toBe('voicemail');
		expect(foldCallStatus({ ...empty(at(0)), rejectedAt: at(0) }, customer[1] as StatusEvent).outcome).toBe('rejected');
	});
});
