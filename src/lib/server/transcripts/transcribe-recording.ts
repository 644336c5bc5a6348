/**
 * The `transcribe-recording` job: a stored recording through the Speech port into the
 * transcript archive. A two-channel call recording is split into its channels and each is
 * transcribed on its own, so every line is the agent's or the customer's (Twilio's dual-channel
 * recording puts the call's parent leg on channel 1: the caller on an inbound call, the agent's
 * leg on an outbound one); a voicemail is the caller alone. Lines are masked (mask.ts) before
 * they are written, then merged by start time.
 *
 * Idempotent: a transcript already `done` is left alone, and pg-boss's singleton key keeps one
 * job per recording queued. Failures: bad audio (empty, not WAV, truncated, silent, over the size
 * limit) fails at once with the reason, since trying again cannot help; an engine that may
 * recover (timeouts, 429, 5xx) is retried with back-off and the row shows each attempt's reason;
 * the last attempt leaves `failed`. Either way a manager can retry it (retry-transcription.ts).
 */
import { eq } from 'drizzle-orm';
import { AdapterError } from '../adapters/errors';
import type { SpeechPort, TranscriptSegment } from '../adapters/speech';
import type { StoragePort } from '../adapters/storage/port';
import { displayName } from '../crm/display-name';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { calls } from '../db/schema/calls';
import { customers } from '../db/schema/crm';
import { callTranscripts, type TranscriptLine, type TranscriptSpeaker } from '../db/schema/transcripts';
import { AppError, badRequest } from '../errors';
import { errorMessage } from '../../errors';
import { logger } from '../log';
import { maskLines } from './mask';
import type { TranscribeRecordingData } from './queue-transcription';
import { encodeMonoWav, isSilent, parsePcmWav } from './wav';

export type { TranscribeRecordingData } from './queue-transcription';

/** Recordings larger than this are refused (about 2 h 45 min of Twilio's 8 kHz two-channel WAV). */
export const TRANSCRIBE_MAX_BYTES = 320 * 1024 * 1024;

/** Words of the trade passed as hints with the people's names. */
const PRODUCT_HINTS = ['Switchboard', 'account', 'order', 'refund', 'invoice', 'subscription', 'delivery'];

export interface TranscribeRecordingDeps {
	db: Db;
	adapters: { storage: Pick<StoragePort, 'get'>; speech?: SpeechPort };
	/** What else happens once a transcript is done (voicemail notices); never fails the job. */
	onDone?: (transcriptId: string) => Promise<void>;
	maxBytes?: number;
}

const log = logger('transcripts');

/** Channel order of a dual-channel recording by call direction (see above). */
function channelSpeakers(direction: 'inbound' | 'outbound', channels: number, voicemail: boolean): TranscriptSpeaker[] {
	if (channels === 1) return [voicemail ? 'customer' : 'unknown'];
	return direction === 'inbound' ? ['customer', 'agent'] : ['agent', 'customer'];
}

function permanent(error: unknown): boolean {
	return error instanceof AppError || (error instanceof AdapterError && !error.retryable);
}

async function loadWork(db: Db, transcriptId: string) {
	const [row] = await db
		.select({ transcript: callTranscripts, call: calls, customer: customers, agentName: user.name })
		.from(callTranscripts)
		.innerJoin(calls, eq(calls.id, callTranscripts.callId))
		.leftJoin(customers, eq(customers.id, calls.customerId))
		.leftJoin(user, eq(user.id, calls.agentId))
		.where(eq(callTranscripts.id, transcriptId));
	return row;
}

type Work = NonNullable<Awaited<ReturnType<typeof loadWork>>>;

function hintsFor(work: Work): string[] {
	const c = work.customer;
	const names = [c ? displayName(c) : '', c?.company ?? '', work.agentName ?? '', work.call.queue ?? ''];
	return [...new Set([...names.map((n) => n.trim()).filter((n) => n && n !== 'Unknown caller'), ...PRODUCT_HINTS])];
}

/** Each channel transcribed, lines labelled, masked per speaker, merged by start. */
async function transcribeChannels(speech: SpeechPort, audio: Uint8Array, work: Work, maxBytes: number) {
	if (audio.byteLength > maxBytes) {
		throw badRequest('AUDIO_TOO_LARGE', `The recording is ${audio.byteLength} bytes, over the ${maxBytes}-byte transcription limit.`);
	}
	const wav = parsePcmWav(audio);
	const speakers = channelSpeakers(work.call.direction, wav.channels, work.transcript.kind === 'voicemail');
	const lines: TranscriptLine[] = [];
	let heard = false;
	let engine = '';
	let language: string | undefined;
	for (const [channel, samples] of wav.samples.entries()) {
		if (isSilent(samples)) continue;
		heard = true;
		const result = await speech.transcribe({ audio: encodeMonoWav(samples, wav.rate), contentType: 'audio/wav', hints: hintsFor(work) });
		engine = result.engine;
		language ??= result.language;
		const segments: TranscriptSegment[] = result.segments ?? (result.text ? [{ start: 0, end: wav.seconds, text: result.text }] : []);
		const kept = segments.filter((s) => s.text.trim());
		const masked = maskLines(kept.map((s) => s.text));
		kept.forEach((s, i) => lines.push({ speaker: speakers[channel] ?? 'unknown', start: round(s.start), end: round(s.end), text: masked[i] ?? '' }));
	}
	if (!heard) throw badRequest('SILENT_AUDIO', `The recording (${wav.seconds.toFixed(1)} s) is silent on every channel; there is nothing to transcribe.`);
	lines.sort((a, b) => a.start - b.start || a.end - b.end);
	return { lines, engine, language, seconds: wav.seconds };
}

const round = (seconds: number) => Math.round(seconds * 100) / 100;

export async function transcribeRecordingJob(deps: TranscribeRecordingDeps, data: TranscribeRecordingData, job: { id?: string; lastAttempt: boolean }): Promise<void> {
	const { db } = deps;
	const work = await loadWork(db, data.transcriptId);
	if (!work || work.transcript.status === 'done') return;
	const mark = (set: Partial<typeof callTranscripts.$inferInsert>) => db.update(callTranscripts).set(set).where(eq(callTranscripts.id, data.transcriptId));
	const attempts = work.transcript.attempts + 1;
	await mark({ status: 'transcribing', attempts, ...(job.id ? { jobId: job.id } : {}) });
	try {
		if (!deps.adapters.speech) throw new Error('no speech adapter is configured for jobs');
		const key = work.call.recordingKey;
		const stored = key ? await deps.adapters.storage.get(key) : null;
		if (!stored) throw badRequest('RECORDING_MISSING', `The recording file is not in storage${key ? ` (${key})` : ''}.`);
		const result = await transcribeChannels(deps.adapters.speech, stored.body, work, deps.maxBytes ?? TRANSCRIBE_MAX_BYTES);
		const [engine, ...model] = result.engine.split('/');
		await mark({
			status: 'done',
			failureReason: null,
			text: result.lines.map((l) => l.text).join('\n'),
			segments: result.lines,
			language: result.language ?? null,
			engine: engine ?? null,
			model: model.join('/') || null,
			durationSeconds: result.seconds,
			customerId: work.call.customerId,
			agentId: work.call.agentId,
			completedAt: new Date()
		});
	} catch (error) {
		const reason = errorMessage(error);
		const final = job.lastAttempt || permanent(error);
		await mark({ status: final ? 'failed' : 'queued', failureReason: reason });
		if (final) {
			log.warn('recording could not be transcribed', { transcriptId: data.transcriptId, attempts, error: reason });
			return;
		}
		throw error;
	}
	if (deps.onDone) await deps.onDone(data.transcriptId).catch((error: unknown) => log.warn('after-transcript work failed', { transcriptId: data.transcriptId, error: errorMessage(error) }));
}
