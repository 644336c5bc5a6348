/**
 * "No double-dial" where it is decided: activeCalls.claimDial in the real local engine (the
 * convex/ functions in the worker LIVE=local runs), under real concurrency. 20 agents dial one
 * number at the same moment, 200 times over: exactly one is admitted; and one agent firing 20
 * dials at once gets exactly one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { createLocalHotState, SYSTEM_IDENTITY, type HotState, type Identity } from '../live/hot';

const AGENTS = 20;
const REPETITIONS = 200;
const NUMBER = '+12125550123';
const agents: Identity[] = Array.from({ length: AGENTS }, (_, i) => ({ subject: `dialer-${i}`, role: 'agent', name: `Dialer ${i}` }));
const sid = (prefix: string, n: number) => `CA${prefix}${n.toString(16).padStart(31, '0')}`;

let hot: HotState;
beforeAll(async () => {
	hot = await createLocalHotState();
	await Promise.all(agents.map((a) => hot.mutation(api.agentStatus.heartbeat, { softphone: 'ready' }, a)));
	await Promise.all(agents.map((a) => hot.mutation(api.agentStatus.setMine, { status: 'available' }, a)));
});
afterAll(() => hot.close());

const claim = (agent: Identity, callSid: string, number = NUMBER) =>
	hot.mutation(api.activeCalls.claimDial, { callSid, agentId: agent.subject, number, from: '+14155550100' }, SYSTEM_IDENTITY);

async function hangUpAndWrapUp(agentId: string, callSid: string) {
	await hot.mutation(api.callWrapup.completeCall, { callSid }, SYSTEM_IDENTITY);
	await hot.mutation(api.callWrapup.finishWrapup, { callSid, agentId }, SYSTEM_IDENTITY);
}

describe('claimDial under real concurrency', () => {
	it(`admits exactly one of ${AGENTS} agents dialling one number at once, ${REPETITIONS} times`, async () => {
		const wins = new Map<string, number>();
		for (let r = 0; r < REPETITIONS; r++) {
			const results = await Promise.all(agents.map((a, i) => claim(a, sid('a', r * AGENTS + i))));
			const winners = results.flatMap((res, i) => (res.ok ? [i] : []));
			expect(winners, `round ${r}`).toHaveLength(1);
			expect(new Set(results.flatMap((res) => (res.ok ? [] : [res.code])))).toEqual(new Set(['DIAL_IN_PROGRESS']));
			const i = winners[0] as number;
			const agent = agents[i] as Identity;
			wins.set(agent.subject, (wins.get(agent.subject) ?? 0) + 1);
			await hangUpAndWrapUp(agent.subject, sid('a', r * AGENTS + i));
		}
		expect([...wins.values()].reduce((a, b) => a + b, 0)).toBe(REPETITIONS);
		const board = await hot.query(api.callBoard.board, {}, { subject: 'wallboard', role: 'supervisor', name: 'Wallboard' });
		expect(board.active).toEqual([]);
	});

	it('admits one of 20 dials one agent fires at once to 20 numbers; the rest are AGENT_ON_CALL', async () => {
		const agent = agents[0] as Identity;
		const results = await Promise.all(Array.from({ length: 20 }, (_, i) => claim(agent, sid('b', i), `+1212555${String(1000 + i)}`)));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok && r.code === 'AGENT_ON_CALL')).toHaveLength(19);
		expect(await hot.query(api.agentStatus.mine, {}, agent)).toMatchObject({ status: 'busy' });
	});

	it('counts an inbound call with the customer as a live call on the number', async () => {
		const [taker, dialler] = [agents[5] as Identity, agents[6] as Identity];
		await hot.mutation(api.agentSkills.replaceAll, { skills: [{ userId: taker.subject, skill: 'inbound-only', level: 3 }] }, SYSTEM_IDENTITY);
		const decision = await hot.mutation(
			api.callLine.routeInbound,
			{ callSid: sid('c', 1), from: '+13125550100', to: '+14155550100', queueName: 'inbound-only', requiredSkills: ['inbound-only'] },
			SYSTEM_IDENTITY
		);
		expect(decision).toMatchObject({ kind: 'offered', agentId: taker.subject });
		await hot.mutation(api.callLine.acceptCall, { callSid: sid('c', 1) }, taker);
		expect(await claim(dialler, sid('c', 2), '+13125550100')).toEqual({
			ok: false,
			code: 'DIAL_IN_PROGRESS',
			message: '+13125550100 is already on a call with another agent; it cannot be dialled twice at once.'
		});
	});
});
