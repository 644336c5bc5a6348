import { describe, expect, it } from 'vitest';
import { HOLD_MUSIC_SECONDS, holdMusicWav } from './hold-music';

describe('holdMusicWav', () => {
	it('is a 8 kHz 16-bit mono PCM WAV of the stated length, audible, with quiet ends so the loop does not click', () => {
		const wav = holdMusicWav();
		const view = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
		const ascii = (at: number) => String.fromCharCode(...wav.slice(at, at + 4));
		expect([ascii(0), ascii(8), ascii(12), ascii(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
		expect(view.getUint32(4, true)).toBe(wav.length - 8);
		expect({ format: view.getUint16(20, true), channels: view.getUint16(22, true), rate: view.getUint32(24, true), bits: view.getUint16(34, true) }).toEqual({
			format: 1,
			channels: 1,
			rate: 8000,
			bits: 16
		});
		const samples = new Int16Array(wav.buffer.slice(44));
		expect(view.getUint32(40, true)).toBe(samples.byteLength);
		expect(samples.length).toBe(HOLD_MUSIC_SECONDS * 8000);
		const rms = (from: number, to: number) => Math.sqrt(samples.slice(from, to).reduce((sum, s) => sum + s * s, 0) / (to - from));
		expect(rms(8000, samples.length - 8000)).toBeGreaterThan(1000);
		expect(Math.abs(samples[0] ?? 1)).toBeLessThan(50);
		expect(Math.abs(samples.at(-1) ?? 1)).toBeLessThan(50);
		expect(Math.max(...samples.map(Math.abs))).toBeLessThan(32767);
		expect(holdMusicWav()).toBe(wav);
	});
});
