import { describe, expect, it } from 'vitest';
import { parseConfig } from '../env';
import { createOutboundClock } from './clock';

describe('outbound clock', () => {
	it('reads the real time, or starts at a fixed instant and runs on from there', () => {
		let real = 1_000_000;
		expect(createOutboundClock(undefined, () => real)().getTime()).toBe(1_000_000);
		const clock = createOutboundClock(new Date('2026-12-07T17:00:00Z'), () => real);
		expect(clock().toISOString()).toBe('2026-12-07T17:00:00.000Z');
		real += 90_000;
		expect(clock().toISOString()).toBe('2026-12-07T17:01:30.000Z');
	});

	it('is set by OUTBOUND_CLOCK_START in local mode only', () => {
		expect(parseConfig({ OUTBOUND_CLOCK_START: '2026-12-07T17:00:00Z' }).outbound.clockStart).toEqual(new Date('2026-12-07T17:00:00Z'));
		expect(() =>
			parseConfig({ OUTBOUND_CLOCK_START: '2026-12-07T17:00:00Z', NODE_ENV: 'production', PUBLIC_BASE_URL: 'http://localhost:3000' })
		).toThrow(/OUTBOUND_CLOCK_START is for local mode only/);
		expect(() => parseConfig({ OUTBOUND_CLOCK_START: 'tomorrow' })).toThrow(/OUTBOUND_CLOCK_START is an ISO 8601 instant/);
		expect(() => parseConfig({ OUTBOUND_RULES: '{"recallGapMinutes":-1}' })).toThrow(/OUTBOUND_RULES.recallGapMinutes/);
	});
});
