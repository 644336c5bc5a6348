import { describe, expect, it } from 'vitest';
import { currentLine, PlayerClock } from './player-clock.svelte';

describe('PlayerClock', () => {
	it('keeps one pending seek until the player takes it, never negative', () => {
		const clock = new PlayerClock();
		clock.seek(12.5);
		clock.seek(-3);
		expect(clock.take()).toBe(0);
		expect(clock.take()).toBeNull();
	});
});

describe('currentLine', () => {
	const lines = [{ start: 0 }, { start: 4.5 }, { start: 9 }];
	it('is the last line that started by now', () => {
		expect(currentLine(lines, 0)).toBe(0);
		expect(currentLine(lines, 4.49)).toBe(1);
		expect(currentLine(lines, 8.9)).toBe(1);
		expect(currentLine(lines, 60)).toBe(2);
		expect(currentLine([{ start: 2 }], 1)).toBe(-1);
		expect(currentLine([], 5)).toBe(-1);
	});
});
