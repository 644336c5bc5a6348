/**
 * The offline recogniser on generated call audio: every line of a support call script spoken by
 * espeak-ng as a phone carries it (8 kHz), transcribed by the local speech adapter with the call's
 * hints. Reports the word error rate and the real-time factor (seconds of work per second of
 * audio), beside sox merely decoding and resampling the same audio (the floor every line pays).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { LocalSpeech } from '../../src/lib/server/adapters/speech';
import { CALL_SCRIPT, speakAsPhone } from '../../src/lib/server/transcripts/test-speech-audio';
import { wordErrorRate } from '../../src/lib/server/transcripts/word-error-rate';

const run = promisify(execFile);

export interface SpeechBenchResult {
	engine: string;
	lines: number;
	audioSeconds: number;
	wer: number;
	rtf: number;
	soxRtf: number;
}

export async function benchLocalSpeech(): Promise<SpeechBenchResult> {
	const speech = new LocalSpeech();
	const dir = await mkdtemp(path.join(tmpdir(), 'sb-bench-speech-'));
	const pairs: { said: string; heard: string }[] = [];
	let audioSeconds = 0;
	let work = 0;
	let sox = 0;
	let engine = '';
	try {
		for (const line of CALL_SCRIPT) {
			const { audio, seconds } = await speakAsPhone(line.text);
			audioSeconds += seconds;
			const file = path.join(dir, 'line.wav');
			await writeFile(file, audio);
			let t0 = performance.now();
			await run('sox', [file, '-r', '16000', path.join(dir, 'line-16k.wav')]);
			sox += performance.now() - t0;
			t0 = performance.now();
			const heard = await speech.transcribe({ audio, contentType: 'audio/wav', hints: ['Switchboard', 'Alice', 'Zoe Miller'] });
			work += performance.now() - t0;
			engine = heard.engine;
			pairs.push({ said: line.text, heard: heard.text });
		}
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
	return { engine, lines: pairs.length, audioSeconds, wer: wordErrorRate(pairs), rtf: work / 1000 / audioSeconds, soxRtf: sox / 1000 / audioSeconds };
}
