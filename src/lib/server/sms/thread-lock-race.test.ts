/**
 * Two agents racing for a thread lock: exactly one wins, through the real local engine (the
 * convex/ functions on the engine the app runs with LIVE=local), not a mock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { AppError } from '../errors';
import { createLocalHotState, type HotState, type Identity } from '../live/hot';

let hot: HotState;
beforeAll(async () => {
	hot = await createLocalHotState();
}, 60_000);
afterAll(() => hot.close());

const agents: Identity[] = Array.from({ length: 20 }, (_, i) => ({
	subject: `race-agent-${i}`,
	role: 'agent',
	name: `Agent ${i}`
}));

describe('thread lock race', () => {
	it('gives exactly one holder when 20 agents acquire one thread at once, 200 times over', async () => {
		for (let rep = 0; rep < 200; rep++) {
			const threadKey = `+1415555${String(rep).padStart(4, '0')}|+14155550000`;
			const results = await Promise.allSettled(agents.map((who) => hot.mutation(api.smsLocks.acquire, { threadKey }, who)));
			const winners = results.filter((r) => r.status === 'fulfilled');
			const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
			expect(winners).toHaveLength(1);
			for (const loser of losers) {
				expect(loser.reason).toBeInstanceOf(AppError);
				expect(loser.reason).toMatchObject({ kind: 'CONFLICT', code: 'LOCK_HELD_BY' });
			}
			const winner = (winners[0] as PromiseFulfilledResult<{ holderId: string; holderName: string }>).value;
			const lock = await hot.query(api.smsLocks.forThread, { threadKey }, agents[0]!);
			expect(lock).toMatchObject({ holderId: winner.holderId, holderName: winner.holderName });
			expect(losers[0]?.reason.message).toMatch(new RegExp(`^${winner.holderName} is replying`));
		}
	}, 120_000);
});
