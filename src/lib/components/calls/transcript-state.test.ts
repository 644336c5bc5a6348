import { describe, expect, it } from 'vitest';
import { copyTranscript, transcriptText } from './transcript-state';

const lines = [
	{ speaker: 'agent' as const, start: 0, end: 3, text: 'Hello, support here.' },
	{ speaker: 'customer' as const, start: 65.4, end: 70, text: 'My <b>parcel</b> is late.' }
];

describe('transcript copy', () => {
	it('writes each line with its time and speaker', async () => {
		expect(transcriptText(lines)).toBe('[0:00] Agent: Hello, support here.\n[1:05] Customer: My <b>parcel</b> is late.');
		let written = '';
		expect(
			await copyTranscript(lines, (t) => {
				written = t;
				return Promise.resolve();
			})
		).toBe('Copied');
		expect(written).toContain('[1:05] Customer');
	});

	it('says what to do when the clipboard refuses', async () => {
		expect(await copyTranscript(lines, () => Promise.reject(new Error('denied')))).toMatch(/select the lines/);
	});
});
