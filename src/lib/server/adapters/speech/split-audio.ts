/**
 * Cuts a recording into pieces a transcription API accepts, with sox (installed with the
 * offline recogniser): each piece is 16 kHz mono 16-bit WAV, a predictable 32,000 bytes a
 * second, at most `maxSeconds` long and under `maxBytes`. Speech loses nothing at 16 kHz (the
 * models resample to it), and a Twilio 8 kHz recording stays intelligible.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { badRequest } from '../../errors';
import { audioFileName } from './shared';
import { errorMessage } from '../../../errors';

const run = promisify(execFile);
const BYTES_PER_SECOND = 16_000 * 2;
const WAV_HEADER_ALLOWANCE = 4096;

export interface AudioPiece {
	audio: Uint8Array;
	contentType: 'audio/wav';
	/** Where the piece starts in the original recording, in seconds. */
	offset: number;
}

export interface SplitLimits {
	maxBytes: number;
	maxSeconds: number | undefined;
}

async function withTempFile<T>(audio: Uint8Array, contentType: string, work: (file: string, dir: string) => Promise<T>): Promise<T> {
	const dir = await mkdtemp(path.join(tmpdir(), 'sb-split-'));
	try {
		const file = path.join(dir, audioFileName(contentType));
		await writeFile(file, audio);
		return await work(file, dir);
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

async function soxDuration(file: string): Promise<number> {
	const { stdout } = await run('soxi', ['-D', file]);
	const seconds = Number(stdout.trim());
	if (!Number.isFinite(seconds)) throw new Error(`soxi gave no duration: ${stdout}`);
	return seconds;
}

/** The recording's length in seconds, or undefined when sox cannot decode its format (mp3, m4a, webm). */
export function audioDuration(audio: Uint8Array, contentType: string): Promise<number | undefined> {
	return withTempFile(audio, contentType, (file) => soxDuration(file)).catch(() => undefined);
}

/** Seconds per piece so that every piece fits both limits. */
export function pieceSeconds(limits: SplitLimits): number {
	const bySize = Math.floor((limits.maxBytes - WAV_HEADER_ALLOWANCE) / BYTES_PER_SECOND);
	// A second's margin under a duration limit: sox cuts on sample boundaries, the API measures its own way.
	const byDuration = limits.maxSeconds === undefined ? Infinity : Math.max(1, Math.floor(limits.maxSeconds) - 1);
	return Math.max(1, Math.min(bySize, byDuration));
}

/** The recording in consecutive pieces that fit `limits`; refuses only audio sox cannot decode. */
export function splitAudio(audio: Uint8Array, contentType: string, limits: SplitLimits): Promise<AudioPiece[]> {
	return withTempFile(audio, contentType, async (file, dir) => {
		const total = await soxDuration(file).catch((err: unknown) => {
			throw badRequest('UNSUPPORTED_AUDIO', `This ${contentType} recording is over the transcription limits and sox cannot decode it to split it; send WAV, FLAC or Ogg. (${errorMessage(err)})`);
		});
		const step = pieceSeconds(limits);
		const pieces: AudioPiece[] = [];
		// OpenAI refuses pieces under 0.1 s, so a sliver left at the end is dropped.
		for (let offset = 0; offset < total - 0.1; offset += step) {
			const out = path.join(dir, `piece-${pieces.length}.wav`);
			await run('sox', [file, '-r', '16000', '-c', '1', '-b', '16', '-e', 'signed-integer', out, 'trim', String(offset), String(step)]);
			pieces.push({ audio: new Uint8Array(await readFile(out)), contentType: 'audio/wav', offset });
		}
		return pieces;
	});
}
