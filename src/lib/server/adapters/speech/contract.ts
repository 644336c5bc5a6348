/**
 * The behaviour every speech adapter owes the domain, as one suite. Run against pocketsphinx
 * on synthesized speech and against OpenAiSpeech talking to a fake OpenAI on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpeechPort } from './port';

export interface SpeechFixture {
	port: SpeechPort;
	/** A recording of someone saying "hello thank you for calling". */
	sample: { audio: Uint8Array; contentType: string };
	close?(): Promise<void>;
}

const SAID = ['hello', 'thank', 'you', 'for', 'calling'];

export function speechContract(name: string, create: () => Promise<SpeechFixture>): void {
	describe(`SpeechPort contract: ${name}`, () => {
		let fixture: SpeechFixture;
		beforeAll(async () => {
			fixture = await create();
		});
		afterAll(async () => {
			await fixture.close?.();
		});

		it('transcribes a greeting into text that shares words with what was said', async () => {
			const transcript = await fixture.port.transcribe({ ...fixture.sample, language: 'en' });
			const heard = transcript.text.toLowerCase().split(/[^a-z']+/);
			expect(SAID.some((w) => heard.includes(w)), `heard: ${transcript.text}`).toBe(true);
			expect(transcript.engine).toMatch(/^[a-z]+\/.+/);
			for (const s of transcript.segments ?? []) {
				expect(s.start).toBeLessThanOrEqual(s.end);
				expect(transcript.text).toContain(s.text);
			}
		});

		it('refuses empty audio and a malformed language code before calling the engine', async () => {
			await expect(fixture.port.transcribe({ audio: new Uint8Array(), contentType: 'audio/x-wav' })).rejects.toMatchObject({
				kind: 'BAD_REQUEST',
				code: 'EMPTY_AUDIO'
			});
			await expect(fixture.port.transcribe({ ...fixture.sample, language: 'english' })).rejects.toMatchObject({ code: 'INVALID_LANGUAGE' });
		});
	});
}
