import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../errors';
import { FaultQueue, sendJson, stall, startFakeHttpServer, type FakeHttpServer, type RecordedRequest } from '../test-http-server';
import { speechContract, type SpeechFault } from './contract';
import { DEFAULT_TRANSCRIBE_MODEL } from './models';
import { OpenAiSpeech } from './openai';
import { audioDuration } from './split-audio';

const WAV = new Uint8Array([82, 73, 70, 70, 36, 0, 0, 0, 87, 65, 86, 69]);

async function multipart(req: RecordedRequest): Promise<FormData> {
	return new Response(new Uint8Array(req.body), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
}

const MAX_UPLOAD_BYTES = 400_000;
const MAX_SECONDS = 20;

/** A 30-second tone made by sox, as WAV (480 KB: over MAX_UPLOAD_BYTES) or FLAC (small, but over MAX_SECONDS). */
async function tone(format: 'wav' | 'flac'): Promise<Uint8Array> {
	const dir = await mkdtemp(path.join(tmpdir(), 'sb-tone-'));
	try {
		const file = path.join(dir, `tone.${format}`);
		await promisify(execFile)('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', file, 'synth', '30', 'sine', '300-3000']);
		return new Uint8Array(await readFile(file));
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

type Upload = { seconds: number | undefined; bytes: number; refused: boolean };

function serveFault(fault: SpeechFault, res: ServerResponse): void {
	if (fault === 'stall') return stall(res);
	if (fault === 'throttle') {
		return sendJson(res, 429, { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after': '1' });
	}
	sendJson(res, 500, { error: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', code: null } });
}

/**
 * OpenAI's transcription endpoint: json for the gpt models, verbose_json with segments for
 * whisper. Audio sox can decode is answered "heard <seconds> s."; like OpenAI it refuses an
 * upload over its size limit (413) or over its duration limit (400, with OpenAI's message).
 */
async function fakeOpenAi(): Promise<FakeHttpServer & { faults: FaultQueue<SpeechFault>; uploads: Upload[] }> {
	const faults = new FaultQueue<SpeechFault>();
	const uploads: Upload[] = [];
	const server = await startFakeHttpServer(async (req, res) => {
		if (req.method !== 'POST' || req.path !== '/v1/audio/transcriptions') return sendJson(res, 404, { error: { message: 'not found' } });
		if (req.headers.authorization !== 'Bearer sk-test') {
			return sendJson(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
		}
		const form = await multipart(req);
		const file = form.get('file') as File;
		const bytes = new Uint8Array(await file.arrayBuffer());
		const seconds = await audioDuration(bytes, file.type);
		const upload: Upload = { seconds, bytes: bytes.byteLength, refused: false };
		uploads.push(upload);
		const fault = faults.take();
		if (fault) return serveFault(fault, res);
		if (new TextDecoder().decode(bytes.subarray(0, 9)) === 'not audio') {
			return sendJson(res, 400, { error: { message: "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']", type: 'invalid_request_error', param: null, code: null } });
		}
		if (bytes.byteLength > MAX_UPLOAD_BYTES) {
			upload.refused = true;
			return sendJson(res, 413, { error: { message: `Maximum content size limit (${MAX_UPLOAD_BYTES}) exceeded (${bytes.byteLength} bytes read)`, type: 'server_error', code: null } });
		}
		if (seconds !== undefined && seconds > MAX_SECONDS) {
			upload.refused = true;
			return sendJson(res, 400, {
				error: { message: `audio duration ${seconds} seconds is longer than ${MAX_SECONDS} seconds which is the maximum for this model`, type: 'invalid_request_error', param: null, code: 'invalid_value' }
			});
		}
		const text = seconds === undefined ? ' Hello, thank you for calling. ' : `heard ${seconds.toFixed(1)} s.`;
		if (form.get('response_format') === 'verbose_json') {
			const end = seconds ?? 1.7;
			return sendJson(res, 200, {
				task: 'transcribe',
				language: 'english',
				duration: end,
				text,
				segments: [{ id: 0, seek: 0, start: 0, end, text: seconds === undefined ? ' Hello, thank you for calling.' : text, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0 }]
			});
		}
		return sendJson(res, 200, { text: text.trim(), usage: { type: 'duration', seconds: Math.ceil(seconds ?? 2) } });
	});
	return Object.assign(server, { faults, uploads });
}

speechContract(
	'openai client against a fake OpenAI',
	async () => {
		const server = await fakeOpenAi();
		return {
			port: new OpenAiSpeech({ apiKey: 'sk-test', baseUrl: `${server.url}/v1`, model: DEFAULT_TRANSCRIBE_MODEL }, { maxRetries: 1, timeoutMs: 400, maxUploadBytes: MAX_UPLOAD_BYTES }),
			sample: { audio: WAV, contentType: 'audio/x-wav' },
			vendor: {
				faults: server.faults,
				uploads: server.uploads,
				maxUploadBytes: MAX_UPLOAD_BYTES,
				maxSeconds: MAX_SECONDS,
				overSize: { audio: await tone('wav'), contentType: 'audio/x-wav' },
				overLong: { audio: await tone('flac'), contentType: 'audio/flac' }
			},
			close: () => server.close()
		};
	},
	{ vendorFaults: true }
);

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
		expect(transcript).toEqual({ text: 'Hello, thank you for calling.', engine: 'openai/gpt-4o-transcribe', language: 'en' });
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
			segments: [{ start: 0, end: 1.7, text: 'Hello, thank you for calling.' }],
			language: 'en'
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

	it('does not retry a 400 (bad request), though it retries 429 and 5xx', async () => {
		server.requests.length = 0;
		const speech = new OpenAiSpeech({ apiKey: 'sk-test', baseUrl: `${server.url}/v1`, model: 'whisper-1' }, { maxRetries: 2 });
		// The fake answers an undecodable upload as OpenAI does: 400 Invalid file format.
		const err = await speech.transcribe({ audio: new TextEncoder().encode('not audio at all'), contentType: 'audio/x-wav' }).catch((e: unknown) => e);
		expect(err).toMatchObject({ port: 'speech', adapter: 'openai', status: 400, retryable: false });
		expect(server.requests).toHaveLength(1);
	});
});

describe('OpenAiSpeech on long recordings and current models', () => {
	let server: Awaited<ReturnType<typeof fakeOpenAi>>;
	beforeAll(async () => {
		server = await fakeOpenAi();
	});
	afterAll(() => server.close());

	it('sends hints to gpt-transcribe as keywords, not as a prompt', async () => {
		server.requests.length = 0;
		const speech = new OpenAiSpeech({ apiKey: 'sk-test', baseUrl: `${server.url}/v1`, model: 'gpt-transcribe' });
		await speech.transcribe({ audio: WAV, contentType: 'audio/x-wav', hints: ['Switchboard', 'Zoë Müller'] });
		const form = await multipart(server.requests[0]!);
		expect(form.getAll('keywords[]')).toEqual(['Switchboard', 'Zoë Müller']);
		expect(form.has('prompt')).toBe(false);
	});

	it('shifts whisper-1 segment times by where each piece starts when a recording is split', async () => {
		server.uploads.length = 0;
		const speech = new OpenAiSpeech({ apiKey: 'sk-test', baseUrl: `${server.url}/v1`, model: 'whisper-1' }, { maxUploadBytes: MAX_UPLOAD_BYTES });
		const transcript = await speech.transcribe({ audio: await tone('wav'), contentType: 'audio/x-wav' });
		// 16 kHz mono pieces under 400 KB: 12 s each.
		expect(transcript.segments).toEqual([
			{ start: 0, end: 12, text: 'heard 12.0 s.' },
			{ start: 12, end: 24, text: 'heard 12.0 s.' },
			{ start: 24, end: 30, text: 'heard 6.0 s.' }
		]);
		expect(transcript.text).toBe('heard 12.0 s. heard 12.0 s. heard 6.0 s.');
	});
});
