import { describe, expect, it } from 'vitest';
import { countSegments } from './segments';

describe('countSegments', () => {
	it.each([
		['', 1],
		['Hello', 1],
		['x'.repeat(160), 1],
		['x'.repeat(161), 2],
		['x'.repeat(306), 2],
		['x'.repeat(307), 3],
		['x'.repeat(1600), 11],
		// Extension characters take two septets.
		['€'.repeat(80), 1],
		['€'.repeat(81), 2],
		// One character outside GSM-7 makes the whole text UCS-2.
		['é'.repeat(160), 1],
		[`${'x'.repeat(69)}’`, 1],
		[`${'x'.repeat(70)}’`, 2],
		['👍'.repeat(35), 1],
		['👍'.repeat(36), 2],
		[`${'y'.repeat(133)}🙂`, 3]
	])('counts %j as %i segment(s)', (body, segments) => {
		expect(countSegments(body)).toBe(segments);
	});
});
