import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { languageAiContract } from './contract';
import { LocalLanguageAi } from './local';
import { tidySuggestions } from './shared';

languageAiContract('harper.js and local rules', () => Promise.resolve({ port: new LocalLanguageAi() }));

describe('LocalLanguageAi', () => {
	it('hands the local rules the same system and prompt the model would get', async () => {
		const ai = new LocalLanguageAi();
		const seen: unknown[] = [];
		const out = await ai.generateJson({
			system: 'S',
			prompt: 'P',
			schema: z.object({ words: z.number() }),
			local: (input) => {
				seen.push(input);
				return Promise.resolve({ words: input.prompt.length });
			}
		});
		expect(out).toEqual({ words: 1 });
		expect(seen).toEqual([{ system: 'S', prompt: 'P' }]);
		await ai.close();
	});
});

describe('language-AI helpers', () => {
	it('orders suggestions and drops overlapping ones', () => {
		const s = (start: number, end: number) => ({ start, end, message: '', replacements: [] });
		expect(tidySuggestions([s(5, 8), s(0, 3), s(2, 4), s(8, 9)])).toEqual([s(0, 3), s(5, 8), s(8, 9)]);
	});
});
