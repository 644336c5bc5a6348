import { describe, expect, it } from 'vitest';
import { benchLivePropagation, percentile } from './live';

describe('live propagation bench', () => {
	it('measures one latency per client per round through the worker and the hub', async () => {
		const result = await benchLivePropagation({ clients: 5, rounds: 4, warmup: 1 });
		expect(result).toMatchObject({ via: 'hub', clients: 5, rounds: 4 });
		expect(result.latenciesMs).toHaveLength(20);
		expect(result.mutationMs).toHaveLength(4);
		expect(Math.min(...result.latenciesMs)).toBeGreaterThan(0);
	});

	it('computes nearest-rank percentiles', () => {
		const values = Array.from({ length: 100 }, (_, i) => i + 1);
		expect(percentile(values, 50)).toBe(50);
		expect(percentile(values, 99)).toBe(99);
		expect(percentile([7], 99)).toBe(7);
		expect(percentile([], 50)).toBeNaN();
	});
});
