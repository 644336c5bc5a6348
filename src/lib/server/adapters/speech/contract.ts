/**
 * The behaviour every speech adapter owes the domain, as one suite. Run against pocketsphinx
 * on synthesized speech and against OpenAiSpeech talking to a fake OpenAI on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../errors';
import type { FaultQueue } from '../test-http-server';
import type { SpeechPort } from './port';

/** What a fake OpenAI can answer instead of its normal reply. */
export type SpeechFault = 'throttle' | 'server-error' | 'stall';

export interface SpeechFixture {
	port: SpeechPort;
	/** A recording of someone saying "hello thank you for calling". */
	sample: { audio: Uint8Array; contentType: string };
	/**
	 * A real adapter's fake vendor: faults to serve, every upload's duration and size, and two
	 * 30-second recordings: `overSize` larger than the adapter's upload limit, `overLong` small
	 * but longer than the fake's duration limit (which it refuses with OpenAI's 400).
	 */
	vendor?: {
		faults: FaultQueue<SpeechFault>;
		uploads: { seconds: number | undefined; bytes: number; refused: boolean }[];
		maxUploadBytes: number;
		maxSeconds: number;
		overSize: { audio: Uint8Array; contentType: string };
		overLong: { audio: Uint8Array; contentType: string };
	};
	close?(): Promise<void>;
}

const SAID = ['hello', 'thank', 'you', 'for', 'calling'];

/** The vendor failures a real adapter must survive or report; needs `fixture.vendor`. */
function vendorFaultCases(get: () => SpeechFixture): void {
	const vendor = () => get().vendor!;
	const transcribe = (audio: { audio: Uint8Array; contentType: string }) => get().port.transcribe({ ...audio, language: 'en' });

	it('retries a 429 after the Retry-After it names, then transcribes', async () => {
		vendor().uploads.length = 0;
		vendor().faults.inject('throttle');
		const started = Date.now();
		await expect(transcribe(get().sample)).resolves.toMatchObject({ text: expect.any(String) as string });
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
		expect(vendor().uploads).toHaveLength(2);
	});

	it('retries a 5xx, then transcribes', async () => {
		vendor().faults.inject('server-error');
		await expect(transcribe(get().sample)).resolves.toMatchObject({ text: expect.any(String) as string });
	});

	it('gives up on a stalled response with a retryable error', async () => {
		vendor().faults.inject('stall', 'stall', 'stall');
		const err = await transcribe(get().sample).catch((e: unknown) => e);
		vendor().faults.clear();
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({ retryable: true, port: 'speech' });
	});

	it('splits a recording over the upload size limit before sending it, never refusing it', async () => {
		vendor().uploads.length = 0;
		const transcript = await transcribe(vendor().overSize);
		expect(vendor().uploads.length).toBeGreaterThan(1);
		for (const upload of vendor().uploads) expect(upload.bytes).toBeLessThanOrEqual(vendor().maxUploadBytes);
		expect(vendor().uploads.some((u) => u.refused)).toBe(false);
		const total = vendor().uploads.reduce((sum, u) => sum + (u.seconds ?? 0), 0);
		expect(total).toBeCloseTo(30, 0);
		// The fake answers each piece with "heard <seconds> s."; every piece's text is kept, in order.
		expect(transcript.text.match(/heard [\d.]+ s\./g)).toHaveLength(vendor().uploads.length);
	});

	it('splits by the limit OpenAI names when it refuses over-long audio (400), never failing', async () => {
		vendor().uploads.length = 0;
		const transcript = await transcribe(vendor().overLong);
		const [first, ...rest] = vendor().uploads;
		expect(first).toMatchObject({ refused: true });
		expect(rest.length).toBeGreaterThan(1);
		for (const upload of rest) expect(upload.seconds!).toBeLessThanOrEqual(vendor().maxSeconds);
		expect(rest.reduce((sum, u) => sum + (u.seconds ?? 0), 0)).toBeCloseTo(30, 0);
		expect(transcript.text.match(/heard [\d.]+ s\./g)).toHaveLength(rest.length);
	});
}

export function speechContract(name: string, create: () => Promise<SpeechFixture>, options: { vendorFaults?: boolean } = {}): void {
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

		if (options.vendorFaults) describe('when the vendor fails', () => vendorFaultCases(() => fixture));
	});
}
