import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../errors';
import { sendJson, startFakeHttpServer, type FakeHttpServer, type RecordedRequest } from '../test-http-server';
import { speechContract } from './contract';
import { OpenAiSpeech } from './openai';

const WAV = new Uint8Array([82, 73, 70, 70, 36, 0, 0, 0, 87, 65, 86, 69]);

async function multipart(req: RecordedRequest): Promise<FormData> {
	return new Response(new Uint8Array(req.body), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
}

/** OpenAI's transcription endpoint: json for gpt-4o models, verbose_json with segments for whisper. */
function fakeOpenAi(): Promise<FakeHttpServer> {
	return startFakeHttpServer(async (req, res) => {
		if (req.method !== 'POST' || req.path !== '/v1/audio/transcriptions') return sendJson(res, 404, { error: { message: 'not found' } });
		if (req.headers.authorization !== 'Bearer sk-test') {
			return sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
		}
		const form = await multipart(req);
		if (form.get('response_format') === 'verbose_json') {
			return sendJson(res, 200, {
				task: 'transcribe',
				language: 'english',
				duration: 1.7,
				text: ' Hello, thank you for calling. ',
				segments: [{ id: 0, seek: 0, start: 0, end: 1.7, text: ' Hello, thank you for calling.', tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0 }]
			});
		}
		return sendJson(res, 200, { text: 'Hello, thank you for calling.', usage: { type: 'duration', seconds: 2 } });
	});
}

speechContract('openai client against a fake OpenAI', async () => {
	const server = await fakeOpenAi();
	return {
		port: new OpenAiSpeech({ apiKey: 'sk-test', baseUrl: `${server.url}/v1`, model: 'gpt-4o-transcribe' }),
		sample: { audio: WAV, contentType: 'audio/x-wav' },
		close: () => server.close()
	};
});

describe('OpenAiSpeech requests', () => {
	let server: FakeHttpServer;
	beforeAll(async () => {
		server = await fakeOpenAi();
	});
	afterAll(() => server.close());

	it('posts the audio as multipart with model, language, hints as prompt and json format', async () => {
		server.requests.length = 0;
		const speech = new OpenAiSpeech({ apiKey: 'sk-test', baseUrl: `${server.url}/v1`, model: 'gpt-4o-transcribe' });
		const transcript = await speech.transcribe({ audio: WAV, contentType: 'audio/x-wav', language: 'en', hints: ['Switchboard', 'Zoë Müller'] });
		expect(transcript).toEqual({ text: 'Hello, thank you for calling.', engine: 'openai/gpt-4o-transcribe' });
		expect(server.requests).toHaveLength(1);
		const req = server.requests[0]!;
		expect(req.headers.authorization).toBe('Bearer sk-test');
		const form = await multipart(req);
		expect(form.get('model')).toBe('gpt-4o-transcribe');
		expect(form.get('language')).toBe('en');
		expect(form.get('prompt')).toBe('Switchboard, Zoë Müller');
		expect(form.get('response_format')).toBe('json');
		const file = form.get('file') as File;
		expect(file.name).toBe('audio.wav');
		expect(file.type).toBe('audio/x-wav');
		expect(new Uint8Array(await file.arrayBuffer())).toEqual(WAV);
	});

	it('asks whisper-1 for timed segments and maps them', async () => {
		server.requests.length = 0;
		const speech = new OpenAiSpeech({ apiKey: 'sk-test', baseUrl: `${server.url}/v1`, model: 'whisper-1' });
		expect(await speech.transcribe({ audio: WAV, contentType: 'audio/x-wav' })).toEqual({
			text: 'Hello, thank you for calling.',
			engine: 'openai/whisper-1',
			segments: [{ start: 0, end: 1.7, text: 'Hello, thank you for calling.' }]
		});
		const form = await multipart(server.requests[0]!);
		expect(form.get('response_format')).toBe('verbose_json');
		expect(form.getAll('timestamp_granularities[]')).toEqual(['segment']);
		expect(form.has('language')).toBe(false);
	});

	it('maps a refusal to a non-retryable AdapterError and never sends empty audio', async () => {
		server.requests.length = 0;
		const speech = new OpenAiSpeech({ apiKey: 'sk-wrong', baseUrl: `${server.url}/v1`, model: 'gpt-4o-transcribe' }, { maxRetries: 0 });
		const err = await speech.transcribe({ audio: WAV, contentType: 'audio/x-wav' }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({ port: 'speech', adapter: 'openai', status: 401, vendorCode: 'invalid_api_key', retryable: false });
		await speech.transcribe({ audio: new Uint8Array(), contentType: 'audio/x-wav' }).catch(() => undefined);
		expect(server.requests).toHaveLength(1);
	});
});
