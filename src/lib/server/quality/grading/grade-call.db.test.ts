/**
 * AI grading end to end on the archive: the local grader through the port and the job queue,
 * evidence checked against the stored transcript (invented quotes dropped, unverified scores),
 * low and failed grades in the review queue, and the Gemini adapter against a local fake of
 * its API (request shape and schema, safety blocks, 429 and 5xx retried).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SCORE_CATEGORIES } from '$lib/quality/categories';
import { GeminiLanguageAi } from '../../adapters/language-ai/gemini';
import { LocalLanguageAi } from '../../adapters/language-ai';
import type { GenerateJsonInput, LanguageAiPort } from '../../adapters/language-ai';
import { FaultQueue, sendJson, startFakeHttpServer, type FakeHttpServer } from '../../adapters/test-http-server';
import { LocalStorage } from '../../adapters/storage';
import { makeStaff } from '../../crm/test-factories';
import { calls } from '../../db/schema/calls';
import { aiGrades, reviewQueueItems } from '../../db/schema/quality';
import { createTestDb, type TestDb } from '../../db/test-db';
import { createTestJobs } from '../../jobs/test-jobs';
import type { Jobs } from '../../jobs/jobs';
import { addTranscript, makeAnsweredCall } from '../test-factories';
import { gradeCall, requestGrading, ungradedTranscripts } from './grade-call';
import type { Grade } from './grade-schema';
import { gradeLocally } from './local-grader';
import { SCRIPTED_CALLS } from './scripted-calls';

let t: TestDb;
let agentId: string;
beforeAll(async () => {
	t = await createTestDb();
	agentId = (await makeStaff(t.db, 'agent')).id;
}, 60_000);
afterAll(() => t.close());

const gradeOf = async (callId: string) => (await t.db.select().from(aiGrades).where(eq(aiGrades.callId, callId)))[0]!;
const reasonsOf = async (callId: string) => (await t.db.select().from(reviewQueueItems).where(eq(reviewQueueItems.callId, callId))).map((r) => r.reason).sort();

async function transcribedCall(index: number) {
	const call = await makeAnsweredCall(t.db, agentId);
	await addTranscript(t.db, call.id, SCRIPTED_CALLS[index]!.lines);
	return call;
}

/** A port that answers with a fixed grade, as a model that invents quotes would. */
const answering = (grade: Grade): LanguageAiPort => ({
	kind: 'gemini',
	maxAudioBytes: 0,
	checkGrammar: () => Promise.resolve([]),
	generateJson: <T>(input: GenerateJsonInput<T>) => Promise.resolve(input.schema.parse(grade)),
	close: () => Promise.resolve()
});

describe('grading with the local rules', () => {
	it('stores five scores whose evidence all verifies, and leaves a good call out of the review queue', async () => {
		const call = await transcribedCall(0);
		await gradeCall({ db: t.db, languageAi: new LocalLanguageAi() }, { callId: call.id });
		const row = await gradeOf(call.id);
		expect(row).toMatchObject({ status: 'graded', adapter: 'local' });
		for (const c of SCORE_CATEGORIES) {
			expect(row.categories?.[c]).toMatchObject({ score: SCRIPTED_CALLS[0]!.expected[c], verified: true, dropped: 0 });
		}
		expect(await reasonsOf(call.id)).toEqual([]);
	});

	it('puts a call graded low in the review queue', async () => {
		const call = await transcribedCall(1);
		await gradeCall({ db: t.db, languageAi: new LocalLanguageAi() }, { callId: call.id });
		expect((await gradeOf(call.id)).categories?.professionalism?.score).toBe(1);
		expect(await reasonsOf(call.id)).toEqual(['ai-low']);
	});

	it('runs as a job when grading is requested, and the sweep finds transcripts never graded', async () => {
		const call = await transcribedCall(2);
		expect(await ungradedTranscripts(t.db, 500)).toContain(call.id);
		const jobs: Jobs = await createTestJobs(t, { adapters: { languageAi: new LocalLanguageAi() } as never, hot: {} as never });
		try {
			await requestGrading(t.db, jobs, call.id);
			expect((await gradeOf(call.id)).status).toBe('pending');
			await vi.waitFor(async () => expect((await gradeOf(call.id)).status).toBe('graded'), { timeout: 20_000, interval: 200 });
			expect(await ungradedTranscripts(t.db, 500)).not.toContain(call.id);
		} finally {
			await jobs.stop();
		}
	});

	it('fails, with the reason, a call that has no transcript, and queues it for a human', async () => {
		const call = await makeAnsweredCall(t.db, agentId);
		await gradeCall({ db: t.db, languageAi: new LocalLanguageAi() }, { callId: call.id });
		expect(await gradeOf(call.id)).toMatchObject({ status: 'failed', error: 'The call has no finished transcript to grade.' });
		expect(await reasonsOf(call.id)).toEqual(['ai-failed']);
	});
});

describe('evidence checked against the stored transcript', () => {
	it('drops invented, paraphrased, mistimed and misattributed quotes; a score with none left is unverified', async () => {
		const call = await transcribedCall(0);
		const honest = gradeLocally(SCRIPTED_CALLS[0]!.lines);
		const grade: Grade = {
			...honest,
			greeting: { ...honest.greeting, evidence: [{ quote: 'Thank you for calling Lumen Broadband, my name is Priya.', second: 0, speaker: 'agent' }] },
			productKnowledge: { ...honest.productKnowledge, evidence: [{ quote: 'Our fibre plan includes a free engineer visit every month.', second: 12, speaker: 'agent' }] },
			problemResolution: { ...honest.problemResolution, evidence: [{ quote: 'it is working now, and the speed looks much better', second: 30, speaker: 'agent' }] },
			professionalism: { ...honest.professionalism, evidence: [{ quote: 'I apologise, that sounds very annoying', second: 5, speaker: 'agent' }] },
			closing: { ...honest.closing, evidence: [{ quote: 'Is there anything else I can help you with today?', second: 2, speaker: 'agent' }] }
		};
		await gradeCall({ db: t.db, languageAi: answering(grade) }, { callId: call.id });
		const row = await gradeOf(call.id);
		expect(row.categories?.greeting).toMatchObject({ verified: true, dropped: 0, evidence: [{ second: 0, speaker: 'agent' }] });
		for (const c of ['productKnowledge', 'problemResolution', 'professionalism', 'closing'] as const) {
			expect(row.categories?.[c], c).toMatchObject({ verified: false, dropped: 1, evidence: [], score: honest[c].score });
		}
	});
});

interface GenerateBody {
	contents: { parts: { text?: string; inlineData?: { mimeType: string; data: string } }[] }[];
	systemInstruction?: { parts: { text: string }[] };
	generationConfig?: { responseMimeType?: string; responseJsonSchema?: { properties: Record<string, { properties: Record<string, unknown> }>; required: string[] } };
}

type Fault = 'throttle' | 'unavailable' | 'blocked';

describe('grading through the Gemini adapter against a fake Gemini', () => {
	let server: FakeHttpServer;
	const faults = new FaultQueue<Fault>();
	const modelAnswer = gradeLocally(SCRIPTED_CALLS[3]!.lines);
	const serve = (res: ServerResponse, fault: Fault | undefined, body: GenerateBody) => {
		// Gemini refuses inline data that is not base64 media of a type it knows.
		for (const part of body.contents[0]?.parts ?? []) {
			const inline = part.inlineData;
			if (inline && (!/^audio\/(wav|x-wav|mpeg|mp3|ogg|flac|aac|webm)$/.test(inline.mimeType) || !/^[A-Za-z0-9+/]+=*$/.test(inline.data))) {
				return sendJson(res, 400, { error: { code: 400, message: 'Unsupported MIME type or invalid inline data.', status: 'INVALID_ARGUMENT' } });
			}
		}
		if (fault === 'throttle') return sendJson(res, 429, { error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } }, { 'retry-after': '0' });
		if (fault === 'unavailable') return sendJson(res, 503, { error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } });
		if (fault === 'blocked') return sendJson(res, 200, { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 10 } });
		return sendJson(res, 200, { candidates: [{ content: { role: 'model', parts: [{ text: JSON.stringify(modelAnswer) }] }, finishReason: 'STOP', index: 0 }] });
	};
	const gemini = () => new GeminiLanguageAi({ apiKey: 'gm-test', model: 'gemini-3.8-flash', baseUrl: server.url }, { baseDelayMs: 10, maxAttempts: 3, timeoutMs: 5000 });
	beforeAll(async () => {
		server = await startFakeHttpServer((req, res) => serve(res, faults.take(), req.json() as GenerateBody));
	});
	afterAll(() => server.close());

	it('sends the rubric, the timed transcript and the grade schema as JSON mode', async () => {
		const call = await transcribedCall(3);
		server.requests.length = 0;
		await gradeCall({ db: t.db, languageAi: gemini() }, { callId: call.id });
		const body = server.requests[0]!.json() as GenerateBody;
		expect(body.systemInstruction?.parts[0]?.text).toMatch(/greeting \(Greeting\):\n {2}1: No greeting/);
		expect(body.contents[0]?.parts[0]?.text).toMatch(/^\[0\] AGENT: Hi, you have reached Contoso Electronics/);
		expect(body.generationConfig?.responseMimeType).toBe('application/json');
		const schema = body.generationConfig?.responseJsonSchema;
		expect(schema?.required).toEqual([...SCORE_CATEGORIES]);
		expect(schema?.properties.closing?.properties.score).toEqual({ type: 'integer', minimum: 1, maximum: 5 });
		expect(Object.keys(schema?.properties.greeting?.properties ?? {})).toEqual(['score', 'justification', 'evidence']);
		const row = await gradeOf(call.id);
		expect(row).toMatchObject({ status: 'graded', adapter: 'gemini' });
		expect(row.categories?.closing?.verified).toBe(true);
	});

	it("sends the stored recording inline beside the transcript when it fits the adapter's limit, and only the transcript when it does not", async () => {
		const root = await mkdtemp(path.join(tmpdir(), 'grade-audio-'));
		const storage = new LocalStorage({ root, secret: 'test-secret', publicBaseUrl: 'http://127.0.0.1' });
		const wav = new Uint8Array(4000).map((_, i) => i % 251);
		const stored = async (index: number) => {
			const call = await transcribedCall(index);
			const key = `recordings/test/${call.callSid}.wav`;
			await storage.put(key, wav, 'audio/wav');
			await t.db.update(calls).set({ recordingKey: key, recordingStatus: 'stored' }).where(eq(calls.id, call.id));
			return call;
		};
		try {
			const small = await stored(0);
			server.requests.length = 0;
			await gradeCall({ db: t.db, languageAi: gemini(), storage }, { callId: small.id });
			const body = server.requests[0]!.json() as GenerateBody;
			const parts = body.contents[0]!.parts;
			expect(parts).toHaveLength(2);
			expect(parts[0]?.text).toMatch(/^\[0\] AGENT:/);
			expect(parts[1]?.inlineData?.mimeType).toBe('audio/wav');
			expect(Buffer.from(parts[1]!.inlineData!.data, 'base64')).toEqual(Buffer.from(wav));
			expect(body.systemInstruction?.parts[0]?.text).toMatch(/recording is attached/);
			expect((await gradeOf(small.id)).status).toBe('graded');

			const big = await stored(1);
			server.requests.length = 0;
			const strict = new GeminiLanguageAi({ apiKey: 'gm-test', model: 'gemini-3.8-flash', baseUrl: server.url }, { maxAudioBytes: wav.length - 1 });
			await gradeCall({ db: t.db, languageAi: strict, storage }, { callId: big.id });
			const textOnly = server.requests[0]!.json() as GenerateBody;
			expect(textOnly.contents[0]!.parts.map((p) => Object.keys(p))).toEqual([['text']]);
			expect(textOnly.systemInstruction?.parts[0]?.text).not.toMatch(/recording is attached/);

			// The local rules take no audio, so the recording is never read.
			const get = vi.spyOn(storage, 'get');
			const head = vi.spyOn(storage, 'head');
			await gradeCall({ db: t.db, languageAi: new LocalLanguageAi(), storage }, { callId: big.id });
			expect(get).not.toHaveBeenCalled();
			expect(head).not.toHaveBeenCalled();
			expect((await gradeOf(big.id)).adapter).toBe('local');
		} finally {
			await rm(root, { recursive: true, force: true });
		}
	});

	it('retries a 429 and a 503, then grades', async () => {
		const call = await transcribedCall(4);
		server.requests.length = 0;
		faults.inject('throttle', 'unavailable');
		await gradeCall({ db: t.db, languageAi: gemini() }, { callId: call.id }, { lastAttempt: false });
		expect(server.requests).toHaveLength(3);
		expect((await gradeOf(call.id)).status).toBe('graded');
	});

	it('marks a prompt blocked for safety as failed with the reason, without retrying, and queues it for review', async () => {
		const call = await transcribedCall(5);
		server.requests.length = 0;
		faults.inject('blocked');
		await gradeCall({ db: t.db, languageAi: gemini() }, { callId: call.id }, { lastAttempt: false });
		expect(server.requests).toHaveLength(1);
		const row = await gradeOf(call.id);
		expect(row.status).toBe('failed');
		expect(row.error).toMatch(/blocked the prompt \(SAFETY\)/);
		expect(await reasonsOf(call.id)).toContain('ai-failed');
	});

	it('leaves a throttle that outlasts the adapter retries to the job retry, then fails on the last attempt', async () => {
		const call = await transcribedCall(6);
		faults.inject('throttle', 'throttle', 'throttle');
		await expect(gradeCall({ db: t.db, languageAi: gemini() }, { callId: call.id }, { lastAttempt: false })).rejects.toMatchObject({ retryable: true, status: 429 });
		expect((await gradeOf(call.id)).status).toBe('pending');
		faults.inject('throttle', 'throttle', 'throttle');
		await gradeCall({ db: t.db, languageAi: gemini() }, { callId: call.id }, { lastAttempt: true });
		expect((await gradeOf(call.id)).status).toBe('failed');
		faults.clear();
	});
});
