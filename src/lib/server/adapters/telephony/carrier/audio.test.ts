import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeWav, parseWavMono, renderConversation, speak } from './audio';

function channelEnergy(wav: Uint8Array, channels: number): number[] {
	const b = Buffer.from(wav);
	const energy = new Array<number>(channels).fill(0);
	for (let o = 44, f = 0; o + channels * 2 <= b.length; f++) {
		for (let c = 0; c < channels; c++, o += 2) energy[c]! += Math.abs(b.readInt16LE(o));
	}
	return energy;
}

describe('call audio', () => {
	it('writes a readable 8 kHz 16-bit WAV', () => {
		const wav = encodeWav([new Int16Array([1, 2, 3])]);
		expect(parseWavMono(Buffer.from(wav))).toEqual({ rate: 8000, samples: new Int16Array([1, 2, 3]) });
	});

	it('speaks with espeak-ng at 8 kHz', async () => {
		const samples = await speak('Hello, this is a test call.');
		expect(samples).not.toBeNull();
		expect(samples!.length).toBeGreaterThan(8000);
	});

	it('speaks a line starting with a dash as text, never as an espeak-ng option', async () => {
		const target = path.join(mkdtempSync(path.join(tmpdir(), 'switchboard-espeak-')), 'written.wav');
		const samples = await speak(`-w ${target} Hello there`);
		expect(samples).not.toBeNull();
		expect(samples!.length).toBeGreaterThan(4000);
		expect(existsSync(target)).toBe(false);
		expect(await speak('--help')).not.toBeNull();
	});

	it('puts each speaker of a script in its own channel', async () => {
		const onlyFirst = await renderConversation({ seconds: 4, channels: 2, utterances: [{ channel: 0, text: 'Hello there' }] });
		const [first, second] = channelEnergy(onlyFirst, 2);
		expect(first).toBeGreaterThan(0);
		expect(second).toBe(0);
		const tones = await renderConversation({ seconds: 6, channels: 2, utterances: [] });
		expect(channelEnergy(tones, 2).every((e) => e > 0)).toBe(true);
		expect(Buffer.from(tones).readUInt32LE(40)).toBe(6 * 8000 * 4);
	});
});

describe('paused stretches of a recording', () => {
	const samples = (wav: Uint8Array) => {
		const b = Buffer.from(wav);
		return Array.from({ length: (b.length - 44) / 2 }, (_, i) => b.readInt16LE(44 + i * 2));
	};
	it('silences a paused stretch and keeps the length', async () => {
		const plain = samples(await renderConversation({ seconds: 10, channels: 1, utterances: [] }));
		const silenced = samples(await renderConversation({ seconds: 10, channels: 1, utterances: [], pauses: [{ from: 2, to: 6, skip: false }] }));
		expect(silenced.length).toBe(plain.length);
		expect(plain.slice(2 * 8000, 6 * 8000).some((s) => s !== 0)).toBe(true);
		expect(silenced.slice(2 * 8000, 6 * 8000).every((s) => s === 0)).toBe(true);
		expect(silenced.slice(6 * 8000)).toEqual(plain.slice(6 * 8000));
	});
	it('cuts a skipped stretch out', async () => {
		const plain = samples(await renderConversation({ seconds: 10, channels: 2, utterances: [] }));
		const skipped = samples(await renderConversation({ seconds: 10, channels: 2, utterances: [], pauses: [{ from: 2, to: 6, skip: true }] }));
		expect(skipped.length).toBe(plain.length - 4 * 8000 * 2);
		expect(skipped.slice(2 * 8000 * 2)).toEqual(plain.slice(6 * 8000 * 2));
	});
});
