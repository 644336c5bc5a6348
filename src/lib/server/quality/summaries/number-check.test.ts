import { describe, expect, it } from 'vitest';
import { statedNumbers, unsupportedNumbers } from './number-check';

const period = { from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z') };
const metrics = { callsHandled: 42, avgHandleSeconds: 312.5, greetingAvg: 4.23, closingChange: -0.3, scorecards: 6, aiHumanMeanAbsDiff: 0.85, holdSeconds: null };

describe('the number check on summaries', () => {
	it('accepts numbers from the metrics, rounded the way a writer rounds', () => {
		const text = 'Alice handled 42 calls with an average handle time of about 5 minutes (312.5 seconds). Greeting averaged 4.2 across six scorecards; closing was down 0.3. AI scores were within 85% points, in the week of 23/11/2026.';
		expect(unsupportedNumbers(text, metrics, period)).toEqual([]);
	});

	it('refuses an invented figure', () => {
		expect(unsupportedNumbers('Alice handled 42 calls and resolved 38 of them on first contact.', metrics, period)).toEqual(['38']);
	});

	it('refuses an altered figure, in digits or in words', () => {
		expect(unsupportedNumbers('Greeting averaged 4.5.', metrics, period)).toEqual(['4.5']);
		expect(unsupportedNumbers('She handled 24 calls.', metrics, period)).toEqual(['24']);
		expect(unsupportedNumbers('Across seven scorecards.', metrics, period)).toEqual(['seven']);
		expect(unsupportedNumbers('Closing improved by 3%.', metrics, period)).toEqual(['3%']);
	});

	it('finds digits with separators, signs, decimals and percents, and number words', () => {
		expect(statedNumbers('1,204 calls, −0.25 change, 85 % agreement, twelve reviews').map((n) => [n.value, n.decimals, n.percent])).toEqual([
			[1204, 0, false],
			[0.25, 2, false],
			[85, 0, true],
			[12, 0, false]
		]);
	});
});
