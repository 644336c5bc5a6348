/**
 * The behaviour every language-AI adapter owes the domain, as one suite. Run against harper.js
 * with callers' rules and against GeminiLanguageAi talking to a fake Gemini on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AdapterError } from '../errors';
import type { FaultQueue } from '../test-http-server';
import type { GrammarSuggestion, LanguageAiPort } from './port';

/**
 * What a fake Gemini can answer instead of its normal reply: 429 with a Retry-After header,
 * 429 with only a RetryInfo detail (0.5 s), 503, no answer at all, a prompt blocked for
 * safety, an answer withheld for safety, and an answer cut off at MAX_TOKENS.
 */
export type LanguageAiFault = 'throttle' | 'throttle-retry-info' | 'server-error' | 'stall' | 'prompt-blocked' | 'answer-safety' | 'max-tokens';

export interface LanguageAiFixture {
	port: LanguageAiPort;
	/** A real adapter's fake vendor: faults to serve, and how many requests it has seen. */
	vendor?: { faults: FaultQueue<LanguageAiFault>; requestCount(): number };
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

const scorecardRequest = () => ({
	system: 'Grade the agent from 0 to 5 and summarise the call in one sentence.',
	prompt: 'Agent: Hello, thank you for calling. Caller: I was billed twice.',
	schema: Scorecard,
	local: () => CONTRACT_SCORECARD
});

/** The vendor failures a real adapter must survive or report; needs `fixture.vendor`. */
function vendorFaultCases(get: () => LanguageAiFixture): void {
	const vendor = () => get().vendor!;
	const port = () => get().port;
	async function timed(fault: LanguageAiFault) {
		const before = vendor().requestCount();
		vendor().faults.inject(fault);
		const started = Date.now();
		const outcome = await port()
			.generateJson(scorecardRequest())
			.catch((e: unknown) => e);
		return { outcome, ms: Date.now() - started, requests: vendor().requestCount() - before };
	}

	it('retries a 429 after the Retry-After it names, then answers', async () => {
		const { outcome, ms, requests } = await timed('throttle');
		expect(outcome).toEqual(CONTRACT_SCORECARD);
		expect(requests).toBe(2);
		expect(ms).toBeGreaterThanOrEqual(950);
	});

	it('retries a 429 after the RetryInfo delay in its body, then answers', async () => {
		const { outcome, ms, requests } = await timed('throttle-retry-info');
		expect(outcome).toEqual(CONTRACT_SCORECARD);
		expect(requests).toBe(2);
		expect(ms).toBeGreaterThanOrEqual(450);
	});

	it('retries a 5xx with backoff, then answers', async () => {
		const { outcome, requests } = await timed('server-error');
		expect(outcome).toEqual(CONTRACT_SCORECARD);
		expect(requests).toBe(2);
	});

	it('gives up on a stalled response with a retryable error', async () => {
		const { outcome } = await timed('stall');
		expect(outcome).toBeInstanceOf(AdapterError);
		expect(outcome).toMatchObject({ retryable: true, port: 'languageAi' });
	});

	it('reports a prompt blocked for safety with its reason, without retrying', async () => {
		const { outcome, requests } = await timed('prompt-blocked');
		expect(outcome).toMatchObject({ vendorCode: 'SAFETY', retryable: false });
		expect((outcome as Error).message).toMatch(/blocked the prompt \(SAFETY\)/);
		expect(requests).toBe(1);
	});

	it('reports an answer withheld for safety with its reason, without retrying', async () => {
		const { outcome, requests } = await timed('answer-safety');
		expect(outcome).toMatchObject({ vendorCode: 'SAFETY', retryable: false });
		expect((outcome as Error).message).toMatch(/withheld its answer \(SAFETY for HARM_CATEGORY_HARASSMENT\)/);
		expect(requests).toBe(1);
	});

	it('reports an answer cut off at MAX_TOKENS as such, not as malformed output to retry', async () => {
		const { outcome, requests } = await timed('max-tokens');
		expect(outcome).toMatchObject({ vendorCode: 'MAX_TOKENS', retryable: false });
		expect((outcome as Error).message).toMatch(/output token limit/);
		expect(requests).toBe(1);
	});
}

export function languageAiContract(name: string, create: () => Promise<LanguageAiFixture>, options: { vendorFaults?: boolean } = {}): void {
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

		if (options.vendorFaults) describe('when the vendor fails', () => vendorFaultCases(() => fixture));
	});
}
