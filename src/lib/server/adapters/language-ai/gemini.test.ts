import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdapterError } from '../errors';
import { FaultQueue, sendJson, stall, startFakeHttpServer, type FakeHttpServer } from '../test-http-server';
import { CONTRACT_BAD_PROMPT, CONTRACT_SCORECARD, CONTRACT_TEXT, languageAiContract, type LanguageAiFault } from './contract';
import { GeminiLanguageAi, MAX_INLINE_AUDIO_BYTES } from './gemini';
import { DEFAULT_GEMINI_MODEL } from './models';

interface GenerateRequest {
	contents: { role?: string; parts: { text?: string; inlineData?: { mimeType: string; data: string } }[] }[];
	systemInstruction?: { parts: { text: string }[] };
	generationConfig?: { responseMimeType?: string; responseJsonSchema?: unknown; temperature?: number };
}

const reply = (text: string) => ({
	candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
	usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 },
	modelVersion: DEFAULT_GEMINI_MODEL
});

const harassment = [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH', blocked: true }];

/** Gemini's own answers for each fault, as the Gemini API sends them. */
function serveFault(fault: LanguageAiFault, res: ServerResponse): void {
	const exhausted = (details: unknown[], headers: Record<string, string> = {}) =>
		sendJson(res, 429, { error: { code: 429, message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED', details } }, headers);
	switch (fault) {
		case 'stall':
			return stall(res);
		case 'throttle':
			return exhausted([], { 'retry-after': '1' });
		case 'throttle-retry-info':
			return exhausted([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.5s' }]);
		case 'server-error':
			return sendJson(res, 503, { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
		case 'prompt-blocked':
			return sendJson(res, 200, { promptFeedback: { blockReason: 'SAFETY', safetyRatings: harassment }, usageMetadata: { promptTokenCount: 10 } });
		case 'answer-safety':
			return sendJson(res, 200, { candidates: [{ finishReason: 'SAFETY', index: 0, safetyRatings: harassment }], usageMetadata: { promptTokenCount: 10 } });
		case 'max-tokens':
			return sendJson(res, 200, {
				candidates: [{ content: { role: 'model', parts: [{ text: '{"score":4,"summ' }] }, finishReason: 'MAX_TOKENS', index: 0 }],
				usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 8192 }
			});
	}
}

/** Gemini's generateContent, answering the contract's inputs the way a model would, or a queued fault. */
async function fakeGemini(): Promise<FakeHttpServer & { faults: FaultQueue<LanguageAiFault> }> {
	const faults = new FaultQueue<LanguageAiFault>();
	const server = await startFakeHttpServer((req, res) => {
		const fault = faults.take();
		if (fault) return serveFault(fault, res);
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
	return Object.assign(server, { faults });
}

languageAiContract(
	'gemini client against a fake Gemini',
	async () => {
		const server = await fakeGemini();
		return {
			port: new GeminiLanguageAi({ apiKey: 'gm-test', model: DEFAULT_GEMINI_MODEL, baseUrl: server.url }, { baseDelayMs: 10, timeoutMs: 400, maxAttempts: 2 }),
			vendor: { faults: server.faults, requestCount: () => server.requests.length },
			close: () => server.close()
		};
	},
	{ vendorFaults: true }
);

describe('GeminiLanguageAi requests', () => {
	let server: Awaited<ReturnType<typeof fakeGemini>>;
	let ai: GeminiLanguageAi;
	beforeAll(async () => {
		server = await fakeGemini();
		ai = new GeminiLanguageAi({ apiKey: 'gm-test', model: DEFAULT_GEMINI_MODEL, baseUrl: server.url });
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
		expect(`${req.method} ${req.path}`).toBe(`POST /v1/models/${DEFAULT_GEMINI_MODEL}:generateContent`);
		expect(req.headers['x-goog-api-key']).toBe('gm-test');
		const body = req.json() as GenerateRequest;
		expect(body.contents).toEqual([{ role: 'user', parts: [{ text: 'Agent: hello' }] }]);
		expect(body.systemInstruction?.parts[0]?.text).toBe('Grade the call.');
		expect(body.generationConfig).toMatchObject({ responseMimeType: 'application/json' });
		// Gemini 3 guidance: keep the default temperature of 1.0, so none is sent.
		expect(body.generationConfig?.temperature).toBeUndefined();
		expect(body.generationConfig?.responseJsonSchema).toEqual({
			type: 'object',
			properties: { score: { type: 'integer', minimum: 0, maximum: 5 }, summary: { type: 'string' } },
			required: ['score', 'summary'],
			additionalProperties: false
		});
	});

	it('sends audio as an inline base64 part after the prompt, and leaves out audio over its limit', async () => {
		const small = new GeminiLanguageAi({ apiKey: 'gm-test', model: DEFAULT_GEMINI_MODEL, baseUrl: server.url }, { maxAudioBytes: 8 });
		expect(ai.maxAudioBytes).toBe(MAX_INLINE_AUDIO_BYTES);
		const request = (data: Uint8Array) => ({
			system: 'Grade the call.',
			prompt: 'Agent: hello',
			schema: z.object({ score: z.number().int().min(0).max(5), summary: z.string() }),
			local: () => CONTRACT_SCORECARD,
			audio: { data, mimeType: 'audio/wav' }
		});
		server.requests.length = 0;
		// A view into a larger buffer: only its own bytes are sent.
		const bytes = new Uint8Array([0, 82, 73, 70, 70, 1, 2, 3, 255]).subarray(1);
		await small.generateJson(request(bytes));
		await small.generateJson(request(new Uint8Array(9)));
		const [withAudio, withoutAudio] = server.requests.map((r) => (r.json() as GenerateRequest).contents);
		expect(withAudio).toEqual([{ role: 'user', parts: [{ text: 'Agent: hello' }, { inlineData: { mimeType: 'audio/wav', data: Buffer.from(bytes).toString('base64') } }] }]);
		expect(withoutAudio).toEqual([{ role: 'user', parts: [{ text: 'Agent: hello' }] }]);
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
		const wrongKey = new GeminiLanguageAi({ apiKey: 'gm-wrong', model: DEFAULT_GEMINI_MODEL, baseUrl: server.url });
		await expect(wrongKey.checkGrammar('Hello there.')).rejects.toMatchObject({ status: 403, retryable: false, adapter: 'gemini' });
	});

	it('reports throttling that outlasts its retries as a retryable 429 with Gemini\'s status', async () => {
		const patient = new GeminiLanguageAi({ apiKey: 'gm-test', model: DEFAULT_GEMINI_MODEL, baseUrl: server.url }, { maxAttempts: 2, baseDelayMs: 10 });
		server.faults.inject('throttle-retry-info', 'throttle-retry-info');
		const err = await patient.checkGrammar('Hello there.').catch((e: unknown) => e);
		expect(err).toMatchObject({ status: 429, vendorCode: 'RESOURCE_EXHAUSTED', retryable: true, adapter: 'gemini' });
	});

	it('does not wait longer than its limit when Gemini asks for more: the 429 is reported instead', async () => {
		const hurried = new GeminiLanguageAi({ apiKey: 'gm-test', model: DEFAULT_GEMINI_MODEL, baseUrl: server.url }, { maxDelayMs: 100 });
		server.requests.length = 0;
		server.faults.inject('throttle');
		await expect(hurried.checkGrammar('Hello there.')).rejects.toMatchObject({ status: 429, retryable: true });
		expect(server.requests).toHaveLength(1);
	});
});
