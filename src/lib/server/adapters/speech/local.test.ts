import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildCallCenterModel } from './call-center-lm';
import { speechContract } from './contract';
import { LocalSpeech, parsePocketsphinxTimes } from './local';

/** Speak the greeting with espeak-ng (installed by scripts/setup.sh alongside pocketsphinx). */
async function synthesize(text: string): Promise<Uint8Array> {
	const dir = await mkdtemp(path.join(tmpdir(), 'sb-espeak-'));
	try {
		const file = path.join(dir, 'speech.wav');
		await promisify(execFile)('espeak-ng', ['-v', 'en-us', '-w', file, text]);
		return new Uint8Array(await readFile(file));
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

speechContract('pocketsphinx', async () => ({
	port: new LocalSpeech(),
	sample: { audio: await synthesize('hello thank you for calling'), contentType: 'audio/x-wav' }
}));

describe('LocalSpeech', () => {
	it('refuses formats sox here cannot decode and languages the model does not know', async () => {
		const speech = new LocalSpeech();
		await expect(speech.transcribe({ audio: new Uint8Array([1]), contentType: 'audio/mpeg' })).rejects.toMatchObject({ code: 'UNSUPPORTED_AUDIO' });
		await expect(speech.transcribe({ audio: new Uint8Array([1]), contentType: 'audio/x-wav', language: 'fr' })).rejects.toMatchObject({
			code: 'UNSUPPORTED_LANGUAGE'
		});
		await expect(speech.transcribe({ audio: new Uint8Array([1, 2, 3]), contentType: 'audio/x-wav' })).rejects.toMatchObject({ code: 'UNSUPPORTED_AUDIO' });
	});

	it('names the missing package when pocketsphinx is not installed', async () => {
		const speech = new LocalSpeech({ pocketsphinxBin: 'pocketsphinx-not-here', soxBin: 'sox-not-here' });
		await expect(speech.transcribe({ audio: new Uint8Array([1]), contentType: 'audio/x-wav' })).rejects.toThrow(/apt-get install pocketsphinx/);
	});

	it('reads word timings into segments, dropping fillers and alternate-pronunciation marks', () => {
		const out = ['hello thank you', '<s> 0.000 0.100 0.99', 'hello 0.110 0.370 0.5', '<sil> 0.370 0.400 1', 'the(2) 0.400 0.500 0.1', '</s> 0.510 0.600 1', '<s> 1.000 1.010 1', '[NOISE] 1.0 1.2 1', '</s> 1.2 1.3 1'].join('\n');
		expect(parsePocketsphinxTimes(out)).toEqual({ text: 'hello the', segments: [{ start: 0.11, end: 0.5, text: 'hello the' }] });
	});

	it('builds an ARPA model from the corpus and hints, without words the dictionary lacks', () => {
		const { arpa, words } = buildCallCenterModel(['Zyxq Account'], (w) => w !== 'zyxq');
		expect(words).toContain('hello');
		expect(words).not.toContain('<s>');
		expect(arpa).toMatch(/^\\data\\\nngram 1=\d+\nngram 2=\d+\n/);
		expect(arpa).toContain(' hello thank');
		expect(arpa).toContain('<s> account');
		expect(arpa).not.toContain('zyxq');
		expect(arpa.trimEnd().endsWith('\\end\\')).toBe(true);
	});
});
