/**
 * Call audio for recordings: 8 kHz 16-bit PCM WAV files, one or two channels. Scripted lines
 * are spoken with espeak-ng when it is installed (so speech-to-text later runs on real speech);
 * otherwise, and for unscripted calls, each speaker gets short tones so the file is still real.
 */
import { spawn } from 'node:child_process';

export const SAMPLE_RATE = 8000;
/** Recordings longer than this keep their reported duration but stop adding samples. */
const MAX_AUDIO_SECONDS = 900;

export interface Utterance {
	/** Which channel speaks: 0 is the first (parent / caller) leg, 1 the second. */
	channel: 0 | 1;
	text: string;
}

let espeakMissing = false;

/** Speak `text` with espeak-ng, resampled to 8 kHz mono; null when espeak-ng is unavailable. */
export async function speak(text: string, voice = 'en-us'): Promise<Int16Array | null> {
	if (espeakMissing || !text.trim()) return null;
	const wav = await new Promise<Buffer | null>((resolve) => {
		// After `--` a script line starting with '-' (`-w /path`, `--help`) is text, never an option.
		const child = spawn('espeak-ng', ['--stdout', '-v', voice, '-s', '165', '--', text], { stdio: ['ignore', 'pipe', 'ignore'] });
		const chunks: Buffer[] = [];
		child.stdout.on('data', (c: Buffer) => chunks.push(c));
		child.on('error', () => {
			espeakMissing = true;
			resolve(null);
		});
		child.on('close', (code) => resolve(code === 0 ? Buffer.concat(chunks) : null));
	});
	return wav ? resample(parseWavMono(wav), SAMPLE_RATE) : null;
}

/** Read a mono 16-bit PCM WAV (espeak-ng's output, whose sizes may be unset when streamed). */
export function parseWavMono(wav: Buffer): { rate: number; samples: Int16Array } {
	if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
	let offset = 12;
	let rate = 22050;
	while (offset + 8 <= wav.length) {
		const id = wav.toString('ascii', offset, offset + 4);
		const size = wav.readUInt32LE(offset + 4);
		if (id === 'fmt ') rate = wav.readUInt32LE(offset + 12);
		if (id === 'data') {
			const start = offset + 8;
			const end = size > 0 && start + size <= wav.length ? start + size : wav.length;
			const count = Math.floor((end - start) / 2);
			const samples = new Int16Array(count);
			for (let n = 0; n < count; n++) samples[n] = wav.readInt16LE(start + n * 2);
			return { rate, samples };
		}
		offset += 8 + size + (size % 2);
	}
	throw new Error('WAV file has no data chunk');
}

function resample(input: { rate: number; samples: Int16Array }, rate: number): Int16Array {
	if (input.rate === rate) return input.samples;
	const ratio = input.rate / rate;
	const out = new Int16Array(Math.floor(input.samples.length / ratio));
	for (let n = 0; n < out.length; n++) {
		const pos = n * ratio;
		const i = Math.floor(pos);
		const a = input.samples[i] ?? 0;
		const b = input.samples[i + 1] ?? a;
		out[n] = Math.round(a + (b - a) * (pos - i));
	}
	return out;
}

/** A soft sine tone, standing in for a voice when there is no script or no espeak-ng. */
export function tone(seconds: number, hz: number): Int16Array {
	const out = new Int16Array(Math.round(seconds * SAMPLE_RATE));
	for (let n = 0; n < out.length; n++) out[n] = Math.round(6000 * Math.sin((2 * Math.PI * hz * n) / SAMPLE_RATE));
	return out;
}

/** Interleave channels into a 16-bit PCM WAV file. */
export function encodeWav(channels: Int16Array[], rate = SAMPLE_RATE): Uint8Array {
	const frames = Math.max(0, ...channels.map((c) => c.length));
	const dataBytes = frames * channels.length * 2;
	const buf = Buffer.alloc(44 + dataBytes);
	buf.write('RIFF', 0, 'ascii');
	buf.writeUInt32LE(36 + dataBytes, 4);
	buf.write('WAVE', 8, 'ascii');
	buf.write('fmt ', 12, 'ascii');
	buf.writeUInt32LE(16, 16);
	buf.writeUInt16LE(1, 20);
	buf.writeUInt16LE(channels.length, 22);
	buf.writeUInt32LE(rate, 24);
	buf.writeUInt32LE(rate * channels.length * 2, 28);
	buf.writeUInt16LE(channels.length * 2, 32);
	buf.writeUInt16LE(16, 34);
	buf.write('data', 36, 'ascii');
	buf.writeUInt32LE(dataBytes, 40);
	let o = 44;
	for (let f = 0; f < frames; f++) {
		for (const c of channels) {
			buf.writeInt16LE(c[f] ?? 0, o);
			o += 2;
		}
	}
	return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/** A paused stretch of a recording, in seconds from its start: cut out (`skip`) or silenced. */
export interface Pause {
	from: number;
	to: number;
	skip: boolean;
}

/** Silence or cut the paused stretches; cuts go last to first so earlier offsets stay true. */
function applyPauses(tracks: Int16Array[], pauses: Pause[]): Int16Array[] {
	let out = tracks;
	const frame = (s: number, len: number) => Math.max(0, Math.min(len, Math.round(s * SAMPLE_RATE)));
	for (const p of pauses) if (!p.skip) for (const t of out) t.fill(0, frame(p.from, t.length), frame(p.to, t.length));
	for (const p of [...pauses].filter((q) => q.skip).sort((x, y) => y.from - x.from)) {
		out = out.map((t) => {
			const a = frame(p.from, t.length);
			const b = frame(p.to, t.length);
			const cut = new Int16Array(t.length - (b - a));
			cut.set(t.subarray(0, a), 0);
			cut.set(t.subarray(b), a);
			return cut;
		});
	}
	return out;
}

/**
 * Lay a conversation out over `seconds` of audio: utterances one after another, each in its
 * channel, with a short gap; lines that do not fit are cut. Without utterances each channel
 * gets a brief tone every few seconds (a different pitch per side).
 */
export async function renderConversation(input: { seconds: number; channels: 1 | 2; utterances: Utterance[]; pauses?: Pause[] }): Promise<Uint8Array> {
	const frames = Math.round(Math.min(input.seconds, MAX_AUDIO_SECONDS) * SAMPLE_RATE);
	const tracks = Array.from({ length: input.channels }, () => new Int16Array(frames));
	const place = (channel: number, at: number, samples: Int16Array) => {
		const track = tracks[Math.min(channel, input.channels - 1)]!;
		track.set(samples.subarray(0, Math.max(0, frames - at)), at);
	};
	if (input.utterances.length) {
		let at = Math.round(0.5 * SAMPLE_RATE);
		for (const u of input.utterances) {
			if (at >= frames) break;
			const voiced = (await speak(u.text, u.channel === 0 ? 'en-us' : 'en-gb')) ?? tone(Math.min(4, 0.4 + u.text.split(/\s+/).length * 0.3), u.channel === 0 ? 330 : 520);
			place(u.channel, at, voiced);
			at += voiced.length + Math.round(0.6 * SAMPLE_RATE);
		}
	} else {
		for (let at = SAMPLE_RATE, side = 0; at < frames; at += 2 * SAMPLE_RATE, side = 1 - side) {
			place(side, at, tone(0.6, side === 0 ? 330 : 520));
		}
	}
	return encodeWav(applyPauses(tracks, input.pauses ?? []));
}

/** Seconds of speech a scripted line takes (for Record timing), from espeak-ng when available. */
export function estimateSpeechSeconds(text: string): number {
	return Math.max(1, Math.round(text.split(/\s+/).filter(Boolean).length * 0.4 + 0.5));
}
