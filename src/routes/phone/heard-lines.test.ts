import { describe, expect, it } from 'vitest';
import { describeHeard, heardLines } from './heard-lines';

describe('heardLines', () => {
	it('lists a hold loop once per line, in the order first heard, with play counts', () => {
		const loop = ['You are caller number 2 in line.', '[play https://calls.example.com/audio/hold-music.wav]'];
		const heard = ['This call may be recorded for quality and training.', ...loop, ...loop, ...loop, 'You are next in line.'];
		expect(heardLines(heard)).toEqual([
			{ text: 'This call may be recorded for quality and training.', kind: 'speech', times: 1 },
			{ text: 'You are caller number 2 in line.', kind: 'speech', times: 3 },
			{ text: 'Hold music', kind: 'music', times: 3 },
			{ text: 'You are next in line.', kind: 'speech', times: 1 }
		]);
		expect(heardLines([])).toEqual([]);
	});

	it('names media and tones in words', () => {
		expect(describeHeard('[hold music]')).toEqual({ text: 'Hold music', kind: 'music' });
		expect(describeHeard('[play /audio/hold-music.wav]')).toEqual({ text: 'Hold music', kind: 'music' });
		expect(describeHeard('[play https://cdn.example.com/prompts/Welcome%20Back.mp3?v=2]')).toEqual({ text: 'Audio: Welcome Back.mp3', kind: 'music' });
		expect(describeHeard('[play /media/100%.wav]')).toEqual({ text: 'Audio: 100%.wav', kind: 'music' });
		expect(describeHeard('[beep]')).toEqual({ text: 'Beep', kind: 'tone' });
		expect(describeHeard('[digits 12#]')).toEqual({ text: 'Key tones 12#', kind: 'tone' });
		expect(describeHeard('[not media] but said')).toEqual({ text: '[not media] but said', kind: 'speech' });
	});
});
