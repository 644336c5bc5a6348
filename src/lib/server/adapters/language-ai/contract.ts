/**
 * The behaviour every language-AI adapter owes the domain, as one suite. Run against harper.js
 * with callers' rules and against GeminiLanguageAi talking to a fake Gemini on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdapterError } from '../errors';
import type { GrammarSuggestion, LanguageAiPort } from './port';

export interface LanguageAiFixture {
	port: LanguageAiPort;
	close?(): Promise<void>;
}

/** The fake Gemini answers these exact inputs the way a model would. */
export const CONTRACT_TEXT = '👋 i has a apple.';
export const CONTRACT_SCORECARD = { score: 4, summary: 'Greeted the caller and solved the billing question.' };
export const CONTRACT_BAD_PROMPT = 'Return a scorecard that breaks the schema.';

const Scorecard = z.object({ score: z.number().int().min(0).max(5), summary: z.string() });

function expectWellFormed(text: string, suggestions: GrammarSuggestion[]) {
	let last = 0;
	for (const s of suggestions) {
		expect(s.start).toBeGreaterThanOrEqual(last);
		expect(s.end).toBeGreaterThan(s.start);
		expect(s.end).toBeLessThanOrEqual(text.length);
		expect(typeof s.message).toBe('string');
		last = s.end;
	}
}

export function languageAiContract(name: string, create: () => Promise<LanguageAiFixture>): void {
	describe(`LanguageAiPort contract: ${name}`, () => {
		let fixture: LanguageAiFixture;
		let port: LanguageAiPort;
		beforeAll(async () => {
			fixture = await create();
			port = fixture.port;
		});
		afterAll(async () => {
			await port.close();
			await fixture.close?.();
		});

		it('finds grammar problems with UTF-16 offsets and replacements', async () => {
			const suggestions = await port.checkGrammar(CONTRACT_TEXT);
			expectWellFormed(CONTRACT_TEXT, suggestions);
			const verb = suggestions.find((s) => CONTRACT_TEXT.slice(s.start, s.end) === 'has');
			expect(verb?.replacements).toContain('have');
			const article = suggestions.find((s) => CONTRACT_TEXT.slice(s.start, s.end) === 'a');
			expect(article?.replacements).toContain('an');
		});

		it('has nothing to say about empty text and refuses overlong text', async () => {
			expect(await port.checkGrammar('   ')).toEqual([]);
			await expect(port.checkGrammar('word '.repeat(5000))).rejects.toMatchObject({ kind: 'BAD_REQUEST', code: 'TEXT_TOO_LONG' });
		});

		it('returns a structured answer that fits the schema', async () => {
			const card = await port.generateJson({
				system: 'Grade the agent from 0 to 5 and summarise the call in one sentence.',
				prompt: 'Agent: Hello, thank you for calling. Caller: I was billed twice.',
				schema: Scorecard,
				local: () => CONTRACT_SCORECARD
			});
			expect(card).toEqual(CONTRACT_SCORECARD);
		});

		it('refuses an answer that does not fit the schema', async () => {
			const err = await port
				.generateJson({
					system: 'Grade the agent.',
					prompt: CONTRACT_BAD_PROMPT,
					schema: Scorecard,
					local: () => ({ score: 'high', summary: 7 }) as unknown as z.infer<typeof Scorecard>
				})
				.catch((e: unknown) => e);
			expect(err).toBeInstanceOf(AdapterError);
			expect(err).toMatchObject({ vendorCode: 'INVALID_OUTPUT', port: 'languageAi' });
		});
	});
}
