/**
 * The transcription job on the archive, with a scripted speech engine (the engines have their
 * own tests): channels split and labelled, lines merged and masked, bad audio failed with its
 * reason and nothing else touched, engine outages retried, a manager's retry with one winner.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBroadcast } from '../adapters/broadcast';
import { AdapterError } from '../adapters/errors';
import type { SpeechPort, TranscribeInput, Transcript } from '../adapters/speech';
import { LocalStorage } from '../adapters/storage';
import { user } from '../db/schema/auth';
import { callbackTasks } from '../db/schema/callbacks';
import { calls } from '../db/schema/calls';
import { customers } from '../db/schema/crm';
import { callTranscripts } from '../db/schema/transcripts';
import { createTestDb, type TestDb } from '../db/test-db';
import type { Jobs } from '../jobs/jobs';
import { setLogLevel } from '../log';
import { queueTranscription } from './queue-transcription';
import { retryTranscription } from './retry-transcription';
import { transcribeRecordingJob } from './transcribe-recording';
import { VOICEMAIL_CHANNEL, VOICEMAIL_EVENT, watchVoicemails, type VoicemailNotice } from './voicemail-notice';
import { encodeMonoWav } from './wav';

let t: TestDb;
const storage = new LocalStorage({ root: mkdtempSync(path.join(tmpdir(), 'sb-tr-')), secret: 'x'.repeat(32), publicBaseUrl: 'https://sb.example.com' });
const broadcast = new LocalBroadcast();
const queued: string[] = [];
const jobs = {
	enqueue: (_tx: unknown, _name: string, data: { transcriptId: string }) => {
		queued.push(data.transcriptId);
		return Promise.resolve(`job-${queued.length}`);
	}
} as unknown as Pick<Jobs, 'enqueue'>;

beforeAll(async () => {
	setLogLevel('silent');
	t = await createTestDb();
	await t.db.insert(user).values({ id: 'u-ann', name: 'Ann Agent', email: 'ann@example.com', role: 'agent' });
}, 60_000);
afterAll(() => t.close());

/**
 * A speech engine that "hears" a channel by its loudness: each channel of the test recordings
 * is a constant level standing for a script (see `level`), answered with timed segments.
 */
const SCRIPTS: Record<number, Transcript> = {
	1000: {
		text: 'Hi, I want to pay. My card is 4111 1111 1111 1111.',
		engine: 'fake/two-lines',
		language: 'en',
		segments: [
			{ start: 0.5, end: 2, text: 'Hi, I want to pay.' },
			{ start: 4, end: 5.5, text: 'My card is 4111 1111' },
			{ start: 5.5, end: 7, text: '1111 1111.' }
		]
	},
	2000: { text: 'Thank you for calling. Sure.', engine: 'fake/two-lines', language: 'en', segments: [{ start: 0, end: 0.4, text: 'Thank you for calling.' }, { start: 2.5, end: 3, text: 'Sure.' }] },
	3000: { text: 'Please call me back about my order.', engine: 'fake/two-lines', language: 'en' }
};

class ScriptedSpeech implements SpeechPort {
	readonly kind = 'local';
	inputs: TranscribeInput[] = [];
	failWith: Error[] = [];
	transcribe(input: TranscribeInput): Promise<Transcript> {
		this.inputs.push(input);
		const failure = this.failWith.shift();
		if (failure) return Promise.reject(failure);
		const level = new DataView(input.audio.buffer, input.audio.byteOffset).getInt16(44, true);
		return Promise.resolve(SCRIPTS[level] ?? { text: '', engine: 'fake/two-lines' });
	}
}

/** A 16-bit PCM WAV whose channels hold these constant levels for `seconds`. */
function wav(levels: number[], seconds = 8, rate = 8000): Uint8Array {
	const frames = seconds * rate;
	const mono = levels.map((level) => encodeMonoWav(new Int16Array(frames).fill(level), rate));
	if (levels.length === 1) return mono[0]!;
	const out = new Uint8Array(44 + frames * 4);
	out.set(mono[0]!.subarray(0, 44));
	const view = new DataView(out.buffer);
	view.setUint32(4, 36 + frames * 4, true);
	view.setUint16(22, 2, true);
	view.setUint32(28, rate * 4, true);
	view.setUint16(32, 4, true);
	view.setUint32(40, frames * 4, true);
	for (let i = 0; i < frames; i++) for (let c = 0; c < 2; c++) view.setInt16(44 + (i * 2 + c) * 2, levels[c]!, true);
	return out;
}

let n = 0;
async function storedRecording(audio: Uint8Array, options: { voicemail?: boolean; queue?: string } = {}) {
	n += 1;
	const [customer] = await t.db.insert(customers).values({ firstName: 'Zoë', lastName: `Caller${n}`, company: 'Acme' }).returning();
	const callSid = `CA${String(n).padStart(32, '0')}`;
	const recordingSid = `RE${String(n).padStart(32, '0')}`;
	const key = `recordings/${callSid}/${recordingSid}.wav`;
	await storage.put(key, audio, 'audio/x-wav');
	const [call] = await t.db
		.insert(calls)
		.values({
			callSid,
			direction: 'inbound',
			customerId: customer!.id,
			queue: options.queue ?? 'support',
			fromRaw: '+14155550100',
			agentId: options.voicemail ? null : 'u-ann',
			answeredAt: options.voicemail ? null : new Date(),
			voicemailAt: options.voicemail ? new Date() : null,
			recordingSid,
			recordingStatus: 'stored',
			recordingKey: key
		})
		.returning();
	const transcriptId = await queueTranscription(t.db, jobs, call!.id, recordingSid);
	return { call: call!, customer: customer!, transcriptId: transcriptId! };
}

const transcript = async (id: string) => (await t.db.select().from(callTranscripts).where(eq(callTranscripts.id, id)))[0]!;

describe('transcribeRecordingJob', () => {
	it('splits a two-channel call into customer and agent lines, merged by time, card number masked, once', async () => {
		const speech = new ScriptedSpeech();
		const { transcriptId } = await storedRecording(wav([1000, 2000]));
		await transcribeRecordingJob({ db: t.db, adapters: { storage, speech } }, { transcriptId }, { id: 'job-a', lastAttempt: false });
		const row = await transcript(transcriptId);
		expect(row).toMatchObject({ status: 'done', kind: 'call', attempts: 1, failureReason: null, engine: 'fake', model: 'two-lines', language: 'en', durationSeconds: 8, agentId: 'u-ann' });
		expect(row.segments).toEqual([
			{ speaker: 'agent', start: 0, end: 0.4, text: 'Thank you for calling.' },
			{ speaker: 'customer', start: 0.5, end: 2, text: 'Hi, I want to pay.' },
			{ speaker: 'agent', start: 2.5, end: 3, text: 'Sure.' },
			{ speaker: 'customer', start: 4, end: 5.5, text: 'My card is #### ####' },
			{ speaker: 'customer', start: 5.5, end: 7, text: '#### ####.' }
		]);
		expect(row.text).not.toMatch(/\d/);
		// Each channel went to the engine alone, as mono WAV, with the people's names as hints.
		expect(speech.inputs).toHaveLength(2);
		expect(speech.inputs[0]!.hints).toEqual(expect.arrayContaining(['Zoë Caller1', 'Acme', 'Ann Agent', 'support']));
		// Run again (a duplicate delivery): nothing is transcribed twice.
		await transcribeRecordingJob({ db: t.db, adapters: { storage, speech } }, { transcriptId }, { lastAttempt: false });
		expect(speech.inputs).toHaveLength(2);
		expect((await transcript(transcriptId)).attempts).toBe(1);
	});

	it("labels a voicemail's lines as the customer's and tells the queue's agents, with the callback task", async () => {
		const { call, transcriptId } = await storedRecording(wav([3000]), { voicemail: true, queue: 'billing' });
		const [task] = await t.db.insert(callbackTasks).values({ callId: call.id, queue: 'billing', reason: 'voicemail', callerNumber: '+14155550100', customerId: call.customerId }).returning();
		const heard: VoicemailNotice[] = [];
		const stop = await watchVoicemails(broadcast, () => Promise.resolve(new Set(['billing'])), (notice) => heard.push(notice));
		const notOurs: VoicemailNotice[] = [];
		const stopOther = await watchVoicemails(broadcast, () => Promise.resolve(new Set(['sales'])), (notice) => notOurs.push(notice));
		const { announceVoicemailTranscript } = await import('./voicemail-notice');
		await transcribeRecordingJob(
			{ db: t.db, adapters: { storage, speech: new ScriptedSpeech() }, onDone: async (id) => void (await announceVoicemailTranscript({ db: t.db, broadcast }, id)) },
			{ transcriptId },
			{ lastAttempt: false }
		);
		expect(await transcript(transcriptId)).toMatchObject({ status: 'done', kind: 'voicemail', segments: [{ speaker: 'customer', start: 0, end: 8, text: 'Please call me back about my order.' }] });
		await expect.poll(() => heard.length).toBe(1);
		expect(heard[0]).toMatchObject({ queue: 'billing', taskId: task!.id, callId: call.id, excerpt: 'Please call me back about my order.', from: expect.stringContaining('Zoë') });
		expect(notOurs).toEqual([]);
		stop();
		stopOther();
		expect(VOICEMAIL_CHANNEL).toBeTruthy();
		expect(VOICEMAIL_EVENT).toBe('voicemail.transcribed');
	});

	const truncated = () => {
		const whole = wav([1000, 2000], 2);
		return whole.subarray(0, whole.byteLength - 1000);
	};
	const BAD: [string, () => Uint8Array, RegExp][] = [
		['an empty', () => new Uint8Array(), /empty/],
		['a non-WAV', () => new TextEncoder().encode('ID3 this is an mp3, honestly'), /not a WAV file/],
		['a truncated', truncated, /truncated/],
		['a silent', () => wav([0, 0], 2), /silent/],
		['an oversized', () => wav([1000, 2000], 2), /over the 1000-byte transcription limit/]
	];
	it.each(BAD)('fails %s recording at once with the reason, touching nothing else, and a manager can retry it', async (_what, audio, reason) => {
		const speech = new ScriptedSpeech();
		const other = await storedRecording(wav([1000, 2000], 1));
		const before = await transcript(other.transcriptId);
		const { call, transcriptId } = await storedRecording(audio());
		await transcribeRecordingJob({ db: t.db, adapters: { storage, speech }, maxBytes: _what === 'an oversized' ? 1000 : undefined }, { transcriptId }, { lastAttempt: false });
		const row = await transcript(transcriptId);
		expect(row).toMatchObject({ status: 'failed', attempts: 1, text: '', segments: [] });
		expect(row.failureReason).toMatch(reason);
		expect(speech.inputs).toEqual([]);
		expect(await transcript(other.transcriptId)).toEqual(before);
		const [callRow] = await t.db.select().from(calls).where(eq(calls.id, call.id));
		expect(callRow).toMatchObject({ recordingStatus: 'stored' });

		queued.length = 0;
		await expect(retryTranscription({ db: t.db, jobs }, call.id)).resolves.toEqual({ transcriptId, status: 'queued' });
		expect(queued).toEqual([transcriptId]);
		expect(await transcript(transcriptId)).toMatchObject({ status: 'queued', failureReason: row.failureReason });
	});

	it('retries an engine outage with back-off, showing the reason meanwhile, and fails on the last attempt', async () => {
		const speech = new ScriptedSpeech();
		const { transcriptId } = await storedRecording(wav([1000, 2000], 1));
		const outage = () => new AdapterError('OpenAI could not be reached to transcribe: 503', { port: 'speech', adapter: 'openai', status: 503 });
		speech.failWith.push(outage());
		await expect(transcribeRecordingJob({ db: t.db, adapters: { storage, speech } }, { transcriptId }, { lastAttempt: false })).rejects.toThrow(/503/);
		expect(await transcript(transcriptId)).toMatchObject({ status: 'queued', attempts: 1, failureReason: expect.stringMatching(/503/) });
		speech.failWith.push(outage());
		await transcribeRecordingJob({ db: t.db, adapters: { storage, speech } }, { transcriptId }, { lastAttempt: true });
		expect(await transcript(transcriptId)).toMatchObject({ status: 'failed', attempts: 2, failureReason: expect.stringMatching(/503/) });
		// A refusal that will not change (a 400) is not retried at all.
		const refused = await storedRecording(wav([1000, 2000], 1));
		speech.failWith.push(new AdapterError('OpenAI refused to transcribe: Invalid file format.', { port: 'speech', adapter: 'openai', status: 400 }));
		await transcribeRecordingJob({ db: t.db, adapters: { storage, speech } }, { transcriptId: refused.transcriptId }, { lastAttempt: false });
		expect(await transcript(refused.transcriptId)).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/Invalid file format/) });
	});

	it('lets one of several managers pressing Retry at once queue the job, and refuses a retry of what has not failed', async () => {
		const { call, transcriptId } = await storedRecording(new Uint8Array());
		await transcribeRecordingJob({ db: t.db, adapters: { storage, speech: new ScriptedSpeech() } }, { transcriptId }, { lastAttempt: false });
		queued.length = 0;
		const results = await Promise.allSettled(Array.from({ length: 5 }, () => retryTranscription({ db: t.db, jobs }, call.id)));
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		for (const r of results.filter((x) => x.status === 'rejected')) expect((r).reason).toMatchObject({ code: expect.stringMatching(/TRANSCRIPT_NOT_FAILED/) });
		expect(queued).toEqual([transcriptId]);
		await expect(retryTranscription({ db: t.db, jobs }, call.id)).rejects.toMatchObject({ kind: 'CONFLICT', code: 'TRANSCRIPT_NOT_FAILED' });
	});

	it('queues the first transcript of a stored recording that has none, and refuses a call with no stored recording', async () => {
		const [bare] = await t.db.insert(calls).values({ callSid: `CA${'f'.repeat(32)}`, direction: 'inbound', recordingSid: `RE${'f'.repeat(32)}`, recordingStatus: 'stored', recordingKey: 'x' }).returning();
		queued.length = 0;
		const { transcriptId } = await retryTranscription({ db: t.db, jobs }, bare!.id);
		expect(queued).toEqual([transcriptId]);
		const [unrecorded] = await t.db.insert(calls).values({ callSid: `CA${'e'.repeat(32)}`, direction: 'inbound' }).returning();
		await expect(retryTranscription({ db: t.db, jobs }, unrecorded!.id)).rejects.toMatchObject({ code: 'NO_STORED_RECORDING' });
	});
});
