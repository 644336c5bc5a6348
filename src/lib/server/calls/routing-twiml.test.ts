import { describe, expect, it } from 'vitest';
import { PARAMETER_VALUE_MAX_BYTES, routingTwiml, truncateUtf8 } from './routing-twiml';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function parameters(xml: string): Record<string, string> {
	const unescape = (v: string) => v.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
	return Object.fromEntries([...xml.matchAll(/<Parameter name="([^"]*)" value="([^"]*)"\/>/g)].map((m): [string, string] => [m[1] ?? '', unescape(m[2] ?? '')]));
}

describe('truncateUtf8', () => {
	it('keeps short text and cuts long text by bytes, never inside a character', () => {
		expect(truncateUtf8('Ada', 128)).toBe('Ada');
		expect(truncateUtf8('é'.repeat(100), 9)).toBe('éééé');
		expect(truncateUtf8('ab😀', 5)).toBe('ab');
		// A family emoji is one grapheme of 25 bytes: it goes whole or not at all.
		expect(truncateUtf8('x👨‍👩‍👧‍👦', 20)).toBe('x');
	});
});

describe('routingTwiml screen-pop parameters', () => {
	it("cuts each <Parameter> value to Twilio's 128 bytes", () => {
		const name = 'Zoë '.repeat(60);
		const company = '株式会社'.repeat(20);
		const xml = routingTwiml({
			decision: { kind: 'offered', agentId: 'u1', agentName: 'Alice', attempts: 1 },
			callSid: `CA${'1'.repeat(32)}`,
			from: '+14155550123',
			queue: { name: 'support', ringSeconds: 20 },
			caller: { customerId: 'c1', name, company },
			notice: false
		});
		const p = parameters(xml);
		expect(Object.keys(p).length).toBeLessThanOrEqual(8);
		for (const value of Object.values(p)) expect(bytes(value)).toBeLessThanOrEqual(PARAMETER_VALUE_MAX_BYTES);
		expect(name.startsWith(p.customerName!)).toBe(true);
		expect(bytes(p.customerName!)).toBeGreaterThan(PARAMETER_VALUE_MAX_BYTES - 4);
		expect(p.company).toBe('株式会社'.repeat(10) + '株式');
		expect(p.queue).toBe('support');
	});
});
