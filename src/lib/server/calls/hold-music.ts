/**
 * Switchboard's own hold music: a calm chord loop synthesized once per process as an 8 kHz
 * 16-bit mono WAV (the telephone band, a format `<Play>` accepts), so queues need no licensed
 * file, no outside bucket and no binary in the repository. Served at HOLD_MUSIC_PATH.
 */

export const HOLD_MUSIC_PATH = '/audio/hold-music.wav';
export const HOLD_MUSIC_SECONDS = 12;
const RATE = 8000;

/** C, A minor, F, G: one chord per 3 s, arpeggiated in eighths over a soft pad. */
const CHORDS: readonly (readonly number[])[] = [
	[261.63, 329.63, 392.0],
	[220.0, 261.63, 329.63],
	[174.61, 220.0, 261.63],
	[196.0, 246.94, 293.66]
];

let cached: Uint8Array<ArrayBuffer> | null = null;

/** The hold music as a complete WAV file (the same bytes every call). */
export function holdMusicWav(): Uint8Array<ArrayBuffer> {
	if (cached) return cached;
	const total = HOLD_MUSIC_SECONDS * RATE;
	const perChord = total / CHORDS.length;
	const noteLength = RATE / 4;
	const samples = new Int16Array(total);
	for (let n = 0; n < total; n++) {
		const chord = CHORDS[Math.floor(n / perChord)] ?? CHORDS[0] ?? [];
		const t = n / RATE;
		let pad = 0;
		for (const f of chord) pad += Math.sin(2 * Math.PI * f * t);
		const note = chord[Math.floor(n / noteLength) % chord.length] ?? 0;
		const inNote = (n % noteLength) / noteLength;
		// Plucked: fast attack, exponential decay; one octave up so it sits above the pad.
		const pluck = Math.sin(2 * Math.PI * note * 2 * t) * Math.exp(-4 * inNote) * Math.min(1, inNote * 40);
		// Fade the file's ends so the loop restarts without a click.
		const edge = Math.min(1, n / (RATE * 0.05), (total - n) / (RATE * 0.05));
		samples[n] = Math.round((pad * 0.08 + pluck * 0.3) * edge * 32767 * 0.8);
	}
	const data = new Uint8Array(samples.buffer);
	const wav = new Uint8Array(44 + data.length);
	const view = new DataView(wav.buffer);
	const ascii = (offset: number, text: string) => [...text].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
	ascii(0, 'RIFF');
	view.setUint32(4, 36 + data.length, true);
	ascii(8, 'WAVE');
	ascii(12, 'fmt ');
	view.setUint32(16, 16, true);
	view.setUint16(20, 1, true);
	view.setUint16(22, 1, true);
	view.setUint32(24, RATE, true);
	view.setUint32(28, RATE * 2, true);
	view.setUint16(32, 2, true);
	view.setUint16(34, 16, true);
	ascii(36, 'data');
	view.setUint32(40, data.length, true);
	wav.set(data, 44);
	cached = wav;
	return wav;
}
