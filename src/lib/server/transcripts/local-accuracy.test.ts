/**
 * The offline recogniser's accuracy, measured rather than assumed: espeak-ng says known lines of a
 * support call as a phone would carry them (8 kHz), the local speech adapter transcribes them with
 * the call's hints, and the word error rate is reported. `npm run bench` measures the whole script
 * with its real-time factor; this test keeps to two lines so it stays a few seconds.
 */
import { describe, expect, it } from 'vitest';
import { LocalSpeech } from '../adapters/speech';
import { CALL_SCRIPT, speakAsPhone } from './test-speech-audio';
import { wordErrorRate, wordErrors } from './word-error-rate';

describe('word error rate', () => {
	it('counts substitutions, deletions and insertions against the words said', () => {
		expect(wordErrors('thank you for calling', 'Thank you, for calling!')).toEqual({ errors: 0, words: 4 });
		expect(wordErrors('thank you for calling', 'thank for call in')).toEqual({ errors: 3, words: 4 });
		expect(wordErrorRate([{ said: 'a b c d', heard: 'a b' }, { said: 'e f', heard: 'e f' }])).toBeCloseTo(2 / 6);
	});
});

describe('LocalSpeech on generated phone audio', () => {
	it('transcribes two lines of a call at 8 kHz and reports the word error rate', async () => {
		const lines = [CALL_SCRIPT[1]!, CALL_SCRIPT[5]!];
		const speech = new LocalSpeech();
		const pairs = [];
		for (const line of lines) {
			const { audio } = await speakAsPhone(line.text);
			const heard = await speech.transcribe({ audio, contentType: 'audio/wav', hints: ['Switchboard', 'Alice', 'Zoe Miller'] });
			expect(heard.segments?.every((s) => s.end > s.start)).toBe(true);
			pairs.push({ said: line.text, heard: heard.text });
		}
		const wer = wordErrorRate(pairs);
		console.info(`local speech WER on generated 8 kHz call audio: ${(wer * 100).toFixed(0)}% (${pairs.map((p) => JSON.stringify(p.heard)).join(', ')})`);
		// Telephone audio resampled the plain way lost ~99% of the words; a regression there fails this.
		expect(wer).toBeLessThan(0.85);
	}, 60_000);
});
