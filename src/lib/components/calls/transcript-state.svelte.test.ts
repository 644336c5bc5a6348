import { describe, expect, it } from 'vitest';
import type { TTranscriptView } from '$lib/server/trpc/routers/search';
import { TranscriptState } from './transcript-state.svelte';

const view: TTranscriptView = {
	status: 'done',
	language: 'en',
	engine: 'local',
	model: 'test',
	lines: [
		{ speaker: 'agent', start: 0, end: 3, text: 'Hello, support here.' },
		{ speaker: 'customer', start: 65, end: 70, text: 'My <b>parcel</b> is late.' }
	]
};

describe('TranscriptState', () => {
	it('loads once and copies the lines with times and speakers', async () => {
		let loads = 0;
		const state = new TranscriptState('c1', () => {
			loads += 1;
			return Promise.resolve(view);
		});
		await Promise.all([state.load(), state.load()]);
		await state.load();
		expect(loads).toBe(1);
		let written = '';
		await state.copy((text) => {
			written = text;
			return Promise.resolve();
		});
		expect(written).toBe('[0:00] Agent: Hello, support here.\n[1:05] Customer: My <b>parcel</b> is late.');
		expect(state.copied).toBe(true);
	});

	it('says what went wrong when loading or copying fails', async () => {
		const state = new TranscriptState('c1', () => Promise.reject(new Error('Only the call’s agent can read this.')));
		await state.load();
		expect(state.error).toBe('Only the call’s agent can read this.');
		await state.copy(() => Promise.reject(new Error('denied')));
		expect(state.error).toMatch(/could not be copied/);
	});
});
