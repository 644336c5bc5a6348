import { describe, expect, it } from 'vitest';
import { saveWhenEnded } from './save-when-ended';

class Refused extends Error {
	constructor(readonly code: string) {
		super(code);
	}
}
const codeOf = (error: unknown) => (error instanceof Refused ? error.code : null);
const noPause = { pause: () => Promise.resolve() };

describe('saveWhenEnded', () => {
	it('goes again while the archive has not seen the hang-up, and stops once the save goes through', async () => {
		const outcomes = ['CALL_IN_PROGRESS', 'CALL_IN_PROGRESS', null];
		let calls = 0;
		await saveWhenEnded(
			() => {
				const code = outcomes[calls++];
				return code ? Promise.reject(new Refused(code)) : Promise.resolve();
			},
			codeOf,
			noPause
		);
		expect(calls).toBe(3);
	});

	it('passes any other refusal on at once', async () => {
		let calls = 0;
		const saving = saveWhenEnded(
			() => {
				calls++;
				return Promise.reject(new Refused('ALREADY_WRAPPED_UP'));
			},
			codeOf,
			noPause
		);
		await expect(saving).rejects.toThrow('ALREADY_WRAPPED_UP');
		expect(calls).toBe(1);
	});

	it('gives up after its attempts with the refusal itself, pausing between tries', async () => {
		const pauses: number[] = [];
		let calls = 0;
		const saving = saveWhenEnded(
			() => {
				calls++;
				return Promise.reject(new Refused('CALL_IN_PROGRESS'));
			},
			codeOf,
			{ attempts: 4, pauseMs: 250, pause: (ms) => (pauses.push(ms), Promise.resolve()) }
		);
		await expect(saving).rejects.toThrow('CALL_IN_PROGRESS');
		expect(calls).toBe(4);
		expect(pauses).toEqual([250, 250, 250]);
	});
});
