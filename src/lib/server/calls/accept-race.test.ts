/**
 * "Accept is atomic", through the real local engine (the convex/ functions in the worker that
 * LIVE=local runs): 20 agents accept one call at the same moment, 200 times over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { POSITION_CAP } from '$convex/lib/callLine';
import { AppError } from '../errors';
import { createLocalHotState, SYSTEM_IDENTITY, type HotState, type Identity } from '../live/hot';
import { waitingIn } from './test-board';

/** The roster and the call board are the wallboard's, so tests read them as a supervisor. */
const WALLBOARD = { subject: 'wallboard-viewer', role: 'supervisor' as const, name: 'Wallboard' };

const AGENTS = 20;
const REPETITIONS = 200;
const agents: Identity[] = Array.from({ length: AGENTS }, (_, i) => ({ subject: `race-agent-${i}`, role: 'agent', name: `Racer ${i}` }));
const sid = (prefix: string, n: number) => `CA${prefix}${n.toString(16).padStart(31 - prefix.length + 1, '0')}`;

let hot: HotState;
beforeAll(async () => {
	hot = await createLocalHotState();
	await hot.mutation(
		api.agentSkills.replaceAll,
		{ skills: agents.map((a) => ({ userId: a.subject, skill: 'race', level: 3 })) },
		SYSTEM_IDENTITY
	);
});
afterAll(() => hot.close());

const route = (callSid: string) =>
	hot.mutation(
		api.callLine.routeInbound,
		{ callSid, from: '+12125550123', to: '+14155550100', queueName: 'race', requiredSkills: ['race'] },
		SYSTEM_IDENTITY
	);

/** 20 accepts in flight at once; returns the winners and the refusal codes. */
async function raceAccepts(callSid: string) {
	const results = await Promise.allSettled(agents.map((a) => hot.mutation(api.callLine.acceptCall, { callSid }, a)));
	const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [agents[i]?.subject] : []));
	const codes = results.flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof AppError ? r.reason.code : String(r.reason)] : []));
	return { winners, codes };
}

async function release(agentId: string, callSid: string) {
	await hot.mutation(api.callWrapup.completeCall, { callSid }, SYSTEM_IDENTITY);
	const me = agents.find((a) => a.subject === agentId);
	if (me) await hot.mutation(api.callWrapup.finishWrapup, { callSid, agentId: me.subject }, SYSTEM_IDENTITY);
}

describe('acceptCall under real concurrency', () => {
	it(`gives exactly one winner among ${AGENTS} agents claiming a waiting caller, ${REPETITIONS} times`, async () => {
		// Everyone away: all calls queue. Then everyone becomes available with a ready softphone.
		await Promise.all(agents.map((a) => hot.mutation(api.agentStatus.setMine, { status: 'away' }, a)));
		// Places are exact up to POSITION_CAP callers ahead, then a flagged lower bound.
		for (let r = 0; r < REPETITIONS; r++) {
			const place = r < POSITION_CAP ? { position: r + 1 } : { position: POSITION_CAP + 1, positionAtLeast: true };
			expect(await route(sid('a', r))).toEqual({ kind: 'queued', queueName: 'race', ...place });
		}
		await Promise.all(agents.map((a) => hot.mutation(api.agentStatus.heartbeat, { softphone: 'ready' }, a)));
		await Promise.all(agents.map((a) => hot.mutation(api.agentStatus.setMine, { status: 'available' }, a)));

		const wins = new Map<string, number>();
		for (let r = 0; r < REPETITIONS; r++) {
			const { winners, codes } = await raceAccepts(sid('a', r));
			expect(winners).toHaveLength(1);
			expect(codes).toHaveLength(AGENTS - 1);
			expect(new Set(codes)).toEqual(new Set(['CALL_TAKEN']));
			const winner = winners[0] as string;
			wins.set(winner, (wins.get(winner) ?? 0) + 1);
			await release(winner, sid('a', r));
		}
		expect([...wins.values()].reduce((a, b) => a + b, 0)).toBe(REPETITIONS);
		expect(await waitingIn(hot, 'race')).toEqual([]);
	});

	it('gives a ringing call only to the agent it rings for, even with 20 accepts at once', async () => {
		for (let r = 0; r < 50; r++) {
			const decision = await route(sid('b', r));
			expect(decision.kind).toBe('offered');
			const offeredTo = decision.kind === 'offered' ? decision.agentId : '';
			const { winners, codes } = await raceAccepts(sid('b', r));
			expect(winners).toEqual([offeredTo]);
			expect(codes.filter((c) => c !== 'NOT_OFFERED' && c !== 'CALL_TAKEN')).toEqual([]);
			await release(offeredTo, sid('b', r));
		}
		const statuses = await hot.query(api.agentStatus.list, {}, WALLBOARD);
		expect(statuses.filter((s) => s.userId.startsWith('race-agent-')).every((s) => s.status === 'available')).toBe(true);
	});
});
