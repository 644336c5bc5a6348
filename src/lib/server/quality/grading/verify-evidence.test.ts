import { describe, expect, it } from 'vitest';
import { normalise, verifyEvidence, verifyQuote, type EvidenceLine } from './verify-evidence';

const lines: EvidenceLine[] = [
	{ speaker: 'agent', start: 0.4, end: 4.2, text: 'Thank you for calling Acme Broadband, my name is Priya. How can I help you today?' },
	{ speaker: 'customer', start: 4.8, end: 9.1, text: "Hi, my internet keeps dropping every evening and I'm fed up." },
	{ speaker: 'agent', start: 9.5, end: 14.0, text: "I'm sorry to hear that. Let me check your line." },
	{ speaker: 'agent', start: 14.2, end: 18.0, text: 'I can see the router firmware is out of date.' },
	{ speaker: 'customer', start: 60.0, end: 63.0, text: 'Okay, it is working now, thank you.' },
	{ speaker: 'agent', start: 64.0, end: 69.0, text: 'Great. Is there anything else I can help you with today?' }
];

describe('quote verification', () => {
	it('keeps an exact quote at its timestamp, with the line start second', () => {
		expect(verifyQuote(lines, { quote: 'Thank you for calling Acme Broadband, my name is Priya.', second: 1, speaker: 'agent' })).toEqual({
			quote: 'Thank you for calling Acme Broadband, my name is Priya.',
			second: 0,
			speaker: 'agent'
		});
	});

	it('tolerates case, punctuation and apostrophes, and a small transcription slip', () => {
		expect(verifyQuote(lines, { quote: 'im sorry to hear that -- let me check your line', second: 10, speaker: 'agent' })).not.toBeNull();
		expect(verifyQuote(lines, { quote: 'the router firmware is out of data', second: 15, speaker: 'agent' })).not.toBeNull();
	});

	it('keeps a quote that runs across two lines of the same speaker', () => {
		expect(verifyQuote(lines, { quote: 'let me check your line. I can see the router firmware', second: 12, speaker: 'agent' })?.second).toBe(9);
	});

	it('drops a paraphrase', () => {
		expect(verifyQuote(lines, { quote: 'Thanks for ringing Acme, I am Priya, what can I do for you', second: 1, speaker: 'agent' })).toBeNull();
		expect(verifyQuote(lines, { quote: 'Apologies for the trouble, I will look at the connection', second: 10, speaker: 'agent' })).toBeNull();
	});

	it('drops a real quote given a wrong timestamp (more than 10 s away)', () => {
		expect(verifyQuote(lines, { quote: 'Is there anything else I can help you with today?', second: 20, speaker: 'agent' })).toBeNull();
		expect(verifyQuote(lines, { quote: 'Is there anything else I can help you with today?', second: 58, speaker: 'agent' })).not.toBeNull();
	});

	it("drops a quote attributed to the agent that the customer said (same-speaker rule)", () => {
		expect(verifyQuote(lines, { quote: 'it is working now, thank you', second: 61, speaker: 'agent' })).toBeNull();
		expect(verifyQuote(lines, { quote: 'it is working now, thank you', second: 61, speaker: 'customer' })).not.toBeNull();
	});

	it('drops an invented quote, and one too short to prove anything', () => {
		expect(verifyQuote(lines, { quote: 'I have refunded your last two bills', second: 15, speaker: 'agent' })).toBeNull();
		expect(verifyQuote(lines, { quote: 'Great.', second: 64, speaker: 'agent' })).toBeNull();
	});

	it('matches mono (unknown speaker) lines for either speaker', () => {
		const mono: EvidenceLine[] = [{ speaker: 'unknown', start: 3, end: 6, text: 'Hello, this is Sam at Northwind.' }];
		expect(verifyQuote(mono, { quote: 'this is Sam at Northwind', second: 4, speaker: 'agent' })?.speaker).toBe('unknown');
	});

	it('counts the dropped quotes and keeps each real one once', () => {
		const result = verifyEvidence(lines, [
			{ quote: 'How can I help you today?', second: 2, speaker: 'agent' },
			{ quote: 'how can i help you today', second: 3, speaker: 'agent' },
			{ quote: 'We value your business enormously', second: 2, speaker: 'agent' }
		]);
		expect(result.kept).toHaveLength(1);
		expect(result.dropped).toBe(2);
	});

	it('normalises accents, case and punctuation', () => {
		expect(normalise("  Café — DON'T, stop!! ")).toBe('cafe dont stop');
	});
});
