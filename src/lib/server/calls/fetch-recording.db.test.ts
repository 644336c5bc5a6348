/** The recording job: fetch with the account's credentials, store under the call's folder, say where on the call row. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../adapters/errors';
import { LocalStorage } from '../adapters/storage';
import { RECORDING_LIMITS } from '../adapters/telephony/media';
import { TwilioTelephony } from '../adapters/telephony/twilio';
import { startFakeHttpServer } from '../adapters/test-http-server';
import { calls } from '../db/schema/calls';
import { callTranscripts } from '../db/schema/transcripts';
import type { Jobs } from '../jobs/jobs';
import { createTestDb, type TestDb } from '../db/test-db';
import { setLogLevel } from '../log';
import { fetchRecordingJob, recordingKey, wavUrl } from './fetch-recording';

let t: TestDb;
const storage = new LocalStorage({
	root: mkdtempSync(path.join(tmpdir(), 'sb-rec-')),
	secret: 'x'.repeat(32),
	publicBaseUrl: 'https://sb.example.com'
});
const WAV = new Uint8Array([82, 73, 70, 70, 1, 2, 3, 4]);
/** Records what the job queues (the transcription); the transcription job itself has its own tests. */
const queued: { name: string; data: unknown; singletonKey: string | undefined }[] = [];
const jobs = {
	enqueue: (_tx: unknown, name: string, data: unknown, options?: { singletonKey?: string }) => {
		queued.push({ name, data, singletonKey: options?.singletonKey });
		return Promise.resolve(`job-${queued.length}`);
	}
} as unknown as Pick<Jobs, 'enqueue'>;

beforeAll(async () => {
	setLogLevel('silent');
	t = await createTestDb();
}, 60_000);
afterAll(() => t.close());

let n = 0;
async function callWithRecording() {
	n += 1;
	const callSid = `CA${String(n).padStart(32, 'a')}`;
	const recordingSid = `RE${String(n).padStart(32, 'b')}`;
	await t.db.insert(calls).values({
		callSid,
		direction: 'inbound',
		recordingSid,
		recordingStatus: 'fetching'
	});
	return {
		callSid,
		recordingSid,
		recordingUrl: `https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/${recordingSid}`,
		durationSeconds: 42,
		channels: 2
	};
}
const row = async (callSid: string) => (await t.db.select().from(calls).where(eq(calls.callSid, callSid)))[0];

describe('fetchRecordingJob', () => {
	it('fetches the WAV, stores it under recordings/<CallSid>/<RecordingSid>.wav and marks the call stored', async () => {
		const data = await callWithRecording();
		const asked: string[] = [];
		const deleted: string[] = [];
		const telephony = {
			fetchRecording: (url: string) => {
				asked.push(url);
				return Promise.resolve({ body: WAV, contentType: 'audio/x-wav' });
			},
			deleteRecording: (sid: string) => {
				deleted.push(sid);
				return Promise.resolve();
			}
		};
		await fetchRecordingJob({ db: t.db, adapters: { telephony, storage }, jobs }, data, { lastAttempt: false, retryCount: 1 });
		expect(asked).toEqual([`${data.recordingUrl}.wav`]);
		const key = recordingKey(data.callSid, data.recordingSid);
		expect(key).toBe(`recordings/${data.callSid}/${data.recordingSid}.wav`);
		expect((await storage.get(key))?.body).toEqual(WAV);
		expect(await row(data.callSid)).toMatchObject({
			recordingStatus: 'stored',
			recordingKey: key,
			recordingSeconds: 42,
			recordingChannels: 2,
			recordingAttempts: 2,
			recordingError: null
		});
		// Stored in our archive: Twilio's copy goes, so the recording is not kept in two places.
		expect(deleted).toEqual([data.recordingSid]);
		// ...and its transcription is queued with it, once: running the job again queues nothing more.
		const call = await row(data.callSid);
		const transcripts = await t.db.select().from(callTranscripts).where(eq(callTranscripts.callId, call!.id));
		expect(transcripts).toEqual([expect.objectContaining({ recordingSid: data.recordingSid, status: 'queued', kind: 'call', direction: 'inbound', jobId: expect.stringMatching(/^job-/) })]);
		expect(queued.filter((q) => (q.data as { transcriptId: string }).transcriptId === transcripts[0]!.id)).toEqual([
			{ name: 'transcribe-recording', data: { transcriptId: transcripts[0]!.id }, singletonKey: `transcript:${transcripts[0]!.id}` }
		]);
		await fetchRecordingJob({ db: t.db, adapters: { telephony, storage }, jobs }, data, { lastAttempt: false, retryCount: 2 });
		expect(await t.db.select().from(callTranscripts).where(eq(callTranscripts.callId, call!.id))).toHaveLength(1);
		expect(queued.filter((q) => (q.data as { transcriptId: string }).transcriptId === transcripts[0]!.id)).toHaveLength(1);
	});

	it("keeps the carrier's copy with DELETE_CARRIER_COPIES=false, and a failed delete does not undo the stored recording", async () => {
		const kept = await callWithRecording();
		const deleted: string[] = [];
		const telephony = {
			fetchRecording: () => Promise.resolve({ body: WAV, contentType: 'audio/x-wav' }),
			deleteRecording: (sid: string) => {
				deleted.push(sid);
				return Promise.reject(new AdapterError('down', { port: 'telephony', adapter: 'twilio' }));
			}
		};
		await fetchRecordingJob({ db: t.db, adapters: { telephony, storage }, jobs, settings: { deleteCarrierCopies: false } }, kept, { lastAttempt: false });
		expect(deleted).toEqual([]);
		const failing = await callWithRecording();
		await fetchRecordingJob({ db: t.db, adapters: { telephony, storage }, jobs }, failing, { lastAttempt: false });
		expect(deleted).toEqual([failing.recordingSid]);
		expect(await row(failing.callSid)).toMatchObject({ recordingStatus: 'stored', recordingError: null });
	});

	it("keeps the carrier's copy when the call's row names a later recording: the archive would not point at the stored one", async () => {
		const data = await callWithRecording();
		const later = `RE${'c'.repeat(32)}`;
		await t.db.update(calls).set({ recordingSid: later }).where(eq(calls.callSid, data.callSid));
		const deleted: string[] = [];
		const telephony = {
			fetchRecording: () => Promise.resolve({ body: WAV, contentType: 'audio/x-wav' }),
			deleteRecording: (sid: string) => {
				deleted.push(sid);
				return Promise.resolve();
			}
		};
		await fetchRecordingJob({ db: t.db, adapters: { telephony, storage }, jobs }, data, { lastAttempt: false });
		expect(deleted).toEqual([]);
		expect(await row(data.callSid)).toMatchObject({ recordingSid: later, recordingStatus: 'fetching', recordingKey: null });
	});

	it('throws a passing failure so pg-boss retries, and marks the recording failed on the last attempt', async () => {
		const data = await callWithRecording();
		const telephony = {
			fetchRecording: () => Promise.reject(new AdapterError('timeout', { port: 'telephony', adapter: 'twilio' })),
			deleteRecording: () => Promise.reject(new Error('a recording that was never stored must not be deleted'))
		};
		await expect(
			fetchRecordingJob({ db: t.db, adapters: { telephony, storage }, jobs }, data, {
				lastAttempt: false
			})
		).rejects.toThrow('timeout');
		// Still processing, but the failed attempt and its reason are on the row for the timeline.
		expect(await row(data.callSid)).toMatchObject({ recordingStatus: 'fetching', recordingAttempts: 1, recordingError: 'timeout' });
		await fetchRecordingJob({ db: t.db, adapters: { telephony, storage }, jobs }, data, { lastAttempt: true, retryCount: 5 });
		expect(await row(data.callSid)).toMatchObject({ recordingStatus: 'failed', recordingAttempts: 6, recordingError: 'timeout' });
	});

	it('gives up at once on a refusal that retrying cannot fix (a URL off the carrier origin)', async () => {
		const data = await callWithRecording();
		const telephony = {
			fetchRecording: async () =>
				Promise.reject(
					new AdapterError('Refusing to fetch', {
						port: 'telephony',
						adapter: 'local',
						retryable: false
					})
				),
			deleteRecording: () => Promise.reject(new Error('a recording that was never stored must not be deleted'))
		};
		await fetchRecordingJob({ db: t.db, adapters: { telephony, storage }, jobs }, data, { lastAttempt: false });
		expect((await row(data.callSid))?.recordingStatus).toBe('failed');
	});

	it('fails a recording for good when the carrier redirects it to a foreign host or serves more than the cap', async () => {
		const account = `AC${'9'.repeat(32)}`;
		const server = await startFakeHttpServer((req, res) => {
			if (req.path.endsWith('R1.wav')) res.writeHead(302, { location: 'https://evil.example.com/rec.wav' });
			else res.writeHead(200, { 'content-type': 'audio/x-wav', 'content-length': String(RECORDING_LIMITS.maxBytes + 1) });
			res.end();
		});
		try {
			const telephony = new TwilioTelephony({
				accountSid: account,
				authToken: 'auth-token',
				apiKeySid: `SK${'8'.repeat(32)}`,
				apiKeySecret: 'key-secret',
				twimlAppSid: `AP${'7'.repeat(32)}`,
				apiBaseUrl: server.url
			});
			for (const [sid, reason] of [
				['R1', /redirected the media to evil\.example\.com/],
				['R2', /larger than the .* limit for recordings/]
			] as const) {
				const data = { ...(await callWithRecording()), recordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${account}/Recordings/${sid}` };
				await fetchRecordingJob({ db: t.db, adapters: { telephony, storage }, jobs }, data, { lastAttempt: false });
				expect(await row(data.callSid)).toMatchObject({ recordingStatus: 'failed', recordingKey: null, recordingError: expect.stringMatching(reason) });
			}
			expect(server.requests.map((r) => r.path)).toEqual([`/2010-04-01/Accounts/${account}/Recordings/R1.wav`, `/2010-04-01/Accounts/${account}/Recordings/R2.wav`]);
		} finally {
			await server.close();
		}
	});

	it('keeps an explicit format in the URL', () => {
		expect(wavUrl('https://api.twilio.com/x/RE1.mp3')).toBe('https://api.twilio.com/x/RE1.mp3');
	});
});
