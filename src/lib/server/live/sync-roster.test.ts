/**
 * The roster sync that hydration and admin deactivation share: Convex refuses a mutation that
 * reads or writes too much, so a large staff must go in batches and its cleanup in pages, never
 * in one hydrate over everyone (which a 4,200-agent roster exceeds).
 */
import { getFunctionName } from 'convex/server';
import { describe, expect, it } from 'vitest';
import type { HotState } from './hot';
import { HYDRATE_BATCH, rosterOf, syncRoster } from './rebuild-hot-state';

function recordingHot() {
	const calls: { name: string; args: Record<string, unknown> }[] = [];
	const mutation = ((ref: Parameters<typeof getFunctionName>[0], args: Record<string, unknown>) => {
		const name = getFunctionName(ref);
		calls.push({ name, args });
		if (name.endsWith('pruneRoster')) return Promise.resolve({ removed: 1, continueCursor: 'c', isDone: args.cursor !== null });
		return Promise.resolve({ inserted: (args.agents as unknown[]).length, updated: 0, removed: 0 });
	}) as unknown as HotState['mutation'];
	return { calls, hot: { mutation } };
}

describe('syncRoster', () => {
	it('sends a large staff in batches and prunes page by page, never hydrate over everyone', async () => {
		const users = Array.from({ length: 4_200 }, (_, i) => ({ id: `u${i}`, name: `Agent ${i}`, role: 'agent', banned: i === 7 }));
		const { calls, hot } = recordingHot();
		const result = await syncRoster(hot, rosterOf(users));

		const hydrates = calls.filter((c) => c.name.endsWith('hydrate'));
		expect(hydrates.length).toBe(Math.ceil(4_199 / HYDRATE_BATCH));
		for (const h of hydrates) {
			expect((h.args.agents as unknown[]).length).toBeLessThanOrEqual(HYDRATE_BATCH);
			expect(h.args.removeMissing).toBe(false);
		}
		const sent = hydrates.flatMap((h) => (h.args.agents as { userId: string }[]).map((a) => a.userId));
		expect(sent).not.toContain('u7');
		expect(sent.length).toBe(4_199);
		const prunes = calls.filter((c) => c.name.endsWith('pruneRoster'));
		expect(prunes.map((p) => p.args.cursor)).toEqual([null, 'c']);
		expect(result).toEqual({ inserted: 4_199, updated: 0, removed: 2 });
	});
});
