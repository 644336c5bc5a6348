import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdapterError } from '../errors';
import { sendJson, startFakeHttpServer, type FakeHttpServer } from '../test-http-server';
import { CONTRACT_BAD_PROMPT, CONTRACT_SCORECARD, CONTRACT_TEXT, languageAiContract } from './contract';
import { GeminiLanguageAi } from './gemini';

interface GenerateRequest {
	contents: { role?: string; parts: { text: string }[] }[];
	systemInstruction?: { parts: { text: string }[] };
	generationConfig?: { responseMimeType?: string; responseJsonSchema?: unknown; temperature?: number };
}

const reply = (text: string) => ({
	candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
	usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
	modelVersion: 'gemini-2.5-flash'
});

/** Gemini's generateContent, answering the contract's inputs the way a model would. */
function fakeGemini(): Promise<FakeHttpServer> {
	return startFakeHttpServer((req, res) => {
		if (req.headers['x-goog-api-key'] !== 'gm-test') {
			return sendJson(res, 403, { error: { code: 403, message: 'Method doesn\'t allow unregistered callers.', status: 'PERMISSION_DENIED' } });
		}
		if (req.method !== 'POST' || !/^\/v1(beta)?\/models\/[\w.-]+:generateContent$/.test(req.path)) {
			return sendJson(res, 404, { error: { code: 404, message: 'not found', status: 'NOT_FOUND' } });
		}
		const body = req.json() as GenerateRequest;
		const prompt = body.contents[0]?.parts[0]?.text ?? '';
		if (prompt === CONTRACT_TEXT) {
			return sendJson(
				res,
				200,
				reply(
					JSON.stringify({
						issues: [
							{ excerpt: 'i', message: 'Capitalize the pronoun "I".', replacements: ['I'] },
							{ excerpt: 'has', message: 'Use "have" with "I".', replacements: ['have'] },
							{ excerpt: 'a', message: 'Use "an" before a vowel sound.', replacements: ['an'] },
							{ excerpt: 'banana', message: 'Not in the text: dropped.', replacements: [] }
						]
					})
				)
			);
		}
		if (prompt === CONTRACT_BAD_PROMPT) return sendJson(res, 200, reply('{"score":"high","summary":7}'));
		if (prompt === 'not json please') return sendJson(res, 200, reply('Sure! Here is your answer.'));
		return sendJson(res, 200, reply(JSON.stringify(CONTRACT_SCORECARD)));
	});
}

languageAiContract('gemini client against a fake Gemini', async () => {
	const server = await fakeGemini();
	return { port: new GeminiLanguageAi({ apiKey: 'gm-test', model: 'gemini-2.5-flash', baseUrl: server.url }), close: () => server.close() };
});

describe('GeminiLanguageAi requests', () => {
	let server: FakeHttpServer;
	let ai: GeminiLanguageAi;
	beforeAll(async () => {
		server = await fakeGemini();
		ai = new GeminiLanguageAi({ apiKey: 'gm-test', model: 'gemini-2.5-flash', baseUrl: server.url });
	});
	afterAll(() => server.close());

	it('asks for JSON constrained by the schema, with the system instruction and API key', async () => {
		server.requests.length = 0;
		await ai.generateJson({
			system: 'Grade the call.',
			prompt: 'Agent: hello',
			schema: z.object({ score: z.number().int().min(0).max(5), summary: z.string() }),
			local: () => CONTRACT_SCORECARD
		});
		const req = server.requests[0]!;
		expect(`${req.method} ${req.path}`).toBe('POST /v1/models/gemini-2.5-flash:generateContent');
		expect(req.headers['x-goog-api-key']).toBe('gm-test');
		const body = req.json() as GenerateRequest;
		expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Agent: hello' }] }]);
		expect(body.systemInstruction?.parts[0]?.text).toBe('Grade the call.');
		expect(body.generationConfig).toMatchObject({ responseMimeType: 'application/json', temperature: 0 });
		expect(body.generationConfig?.responseJsonSchema).toEqual({
			type: 'object',
			properties: { score: { type: 'integer', minimum: 0, maximum: 5 }, summary: { type: 'string' } },
			required: ['score', 'summary'],
			additionalProperties: false
		});
	});

	it('places quoted grammar problems in the text and drops quotes it cannot find', async () => {
		const suggestions = await ai.checkGrammar(CONTRACT_TEXT);
		expect(suggestions.map((s) => [CONTRACT_TEXT.slice(s.start, s.end), s.replacements])).toEqual([
			['i', ['I']],
			['has', ['have']],
			['a', ['an']]
		]);
		expect(suggestions[2]).toMatchObject({ start: 9, end: 10 });
	});

	it('treats a reply that is not JSON as a retryable INVALID_OUTPUT', async () => {
		const err = await ai
			.generateJson({ system: 's', prompt: 'not json please', schema: z.object({ a: z.string() }), local: () => ({ a: '' }) })
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({ vendorCode: 'INVALID_OUTPUT', retryable: true });
	});

	it('maps a refusal to a non-retryable AdapterError with the status', async () => {
		const wrongKey = new GeminiLanguageAi({ apiKey: 'gm-wrong', model: 'gemini-2.5-flash', baseUrl: server.url });
		await expect(wrongKey.checkGrammar('Hello there.')).rejects.toMatchObject({ status: 403, retryable: false, adapter: 'gemini' });
	});
});
