/**
 * Just enough WAV for the transcription job: check a stored recording is a complete 16-bit PCM
 * WAV (Twilio's and the local carrier's format), split a two-channel one into one mono file per
 * channel, and tell silence from speech, all in memory (no sox for this part). Anything else is
 * refused with a reason the timeline shows.
 */
import { badRequest } from '../errors';

export interface PcmWav {
	rate: number;
	channels: number;
	/** One Int16Array per channel. */
	samples: Int16Array[];
	seconds: number;
}

function chunkId(view: DataView, at: number): string {
	return String.fromCharCode(view.getUint8(at), view.getUint8(at + 1), view.getUint8(at + 2), view.getUint8(at + 3));
}

/** Parse `bytes` as 16-bit PCM WAV; BAD_REQUEST with what is wrong otherwise. */
export function parsePcmWav(bytes: Uint8Array): PcmWav {
	if (bytes.byteLength === 0) throw badRequest('EMPTY_AUDIO', 'The recording file is empty (0 bytes); nothing to transcribe.');
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	if (bytes.byteLength < 12 || chunkId(view, 0) !== 'RIFF' || chunkId(view, 8) !== 'WAVE') {
		throw badRequest('UNSUPPORTED_AUDIO', 'The recording is not a WAV file (no RIFF/WAVE header).');
	}
	let at = 12;
	let fmt: { format: number; channels: number; rate: number; bits: number } | null = null;
	while (at + 8 <= bytes.byteLength) {
		const id = chunkId(view, at);
		const size = view.getUint32(at + 4, true);
		const body = at + 8;
		if (id === 'fmt ') {
			if (body + 16 > bytes.byteLength) break;
			fmt = { format: view.getUint16(body, true), channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
		} else if (id === 'data') {
			if (!fmt) throw badRequest('UNSUPPORTED_AUDIO', 'The WAV file has its audio before its format chunk.');
			// A streamed WAV may leave the size unset (0 or 0xFFFFFFFF): then the audio runs to the end.
			const unset = size === 0 || size === 0xffffffff;
			const available = bytes.byteLength - body;
			if (!unset && size > available) {
				throw badRequest('TRUNCATED_AUDIO', `The WAV file is truncated: its header announces ${size} bytes of audio, the file holds ${available}.`);
			}
			return decode(bytes, body, unset ? available : size, fmt);
		}
		at = body + size + (size % 2);
	}
	throw badRequest('TRUNCATED_AUDIO', 'The WAV file is truncated: it ends before its audio starts.');
}

function decode(bytes: Uint8Array, offset: number, length: number, fmt: { format: number; channels: number; rate: number; bits: number }): PcmWav {
	if (fmt.format !== 1 || fmt.bits !== 16) {
		throw badRequest('UNSUPPORTED_AUDIO', `The WAV file is not 16-bit PCM (format ${fmt.format}, ${fmt.bits} bits); Twilio recordings are.`);
	}
	if (fmt.channels < 1 || fmt.channels > 2 || fmt.rate < 4000) {
		throw badRequest('UNSUPPORTED_AUDIO', `The WAV file has ${fmt.channels} channels at ${fmt.rate} Hz; one or two channels at 8 kHz or more are supported.`);
	}
	const frames = Math.floor(length / (2 * fmt.channels));
	if (frames === 0) throw badRequest('EMPTY_AUDIO', 'The recording holds no audio (a header only).');
	const view = new DataView(bytes.buffer, bytes.byteOffset + offset, frames * 2 * fmt.channels);
	const samples = Array.from({ length: fmt.channels }, () => new Int16Array(frames));
	for (let i = 0; i < frames; i++) {
		for (let c = 0; c < fmt.channels; c++) samples[c]![i] = view.getInt16((i * fmt.channels + c) * 2, true);
	}
	return { rate: fmt.rate, channels: fmt.channels, samples, seconds: frames / fmt.rate };
}

/** Below this peak (about -40 dBFS) a channel holds no speech worth sending to a recogniser. */
const SILENCE_PEAK = 328;

export function isSilent(samples: Int16Array): boolean {
	for (const s of samples) if (s > SILENCE_PEAK || s < -SILENCE_PEAK) return false;
	return true;
}

/** A mono 16-bit PCM WAV of `samples`. */
export function encodeMonoWav(samples: Int16Array, rate: number): Uint8Array {
	const out = new Uint8Array(44 + samples.length * 2);
	const view = new DataView(out.buffer);
	const ascii = (at: number, s: string) => [...s].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
	ascii(0, 'RIFF');
	view.setUint32(4, 36 + samples.length * 2, true);
	ascii(8, 'WAVE');
	ascii(12, 'fmt ');
	view.setUint32(16, 16, true);
	view.setUint16(20, 1, true);
	view.setUint16(22, 1, true);
	view.setUint32(24, rate, true);
	view.setUint32(28, rate * 2, true);
	view.setUint16(32, 2, true);
	view.setUint16(34, 16, true);
	ascii(36, 'data');
	view.setUint32(40, samples.length * 2, true);
	for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i]!, true);
	return out;
}
