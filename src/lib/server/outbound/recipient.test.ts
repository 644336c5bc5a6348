import { describe, expect, it } from 'vitest';
import { localIso, opensAt, windowOpen } from './calling-window';
import { readRecipient } from './recipient';
import { DEFAULT_RULE_SET, parseRuleSet, rulesFor } from './rule-set';

const rules = DEFAULT_RULE_SET;

describe('readRecipient', () => {
	it('places a US number by its area code: region and zone', () => {
		expect(readRecipient('+1 305 555 0123', rules)).toEqual({
			ok: true,
			e164: '+13055550123',
			country: 'US',
			region: 'FL',
			zones: ['America/New_York']
		});
		expect(readRecipient('(415) 555-0100', rules)).toMatchObject({
			ok: true,
			e164: '+14155550100',
			region: 'CA',
			zones: ['America/Los_Angeles']
		});
		expect(readRecipient('+1 416 555 0199', rules)).toMatchObject({
			ok: true,
			country: 'CA',
			region: 'ON',
			zones: ['America/Toronto']
		});
	});

	it('lists every zone of an area code that spans zones', () => {
		expect(readRecipient('+1 850 555 0100', rules)).toMatchObject({
			ok: true,
			region: 'FL',
			zones: ['America/Chicago', 'America/New_York']
		});
	});

	it('refuses an invalid number, a short code, a premium-rate number and an international one with a message that says why', () => {
		expect(readRecipient('+1 555 123 4567', rules)).toMatchObject({
			ok: false,
			rule: 'INVALID_NUMBER',
			message: expect.stringContaining('not a valid phone number')
		});
		expect(readRecipient('hello', rules)).toMatchObject({
			ok: false,
			rule: 'INVALID_NUMBER'
		});
		expect(readRecipient('22395', rules)).toMatchObject({
			ok: false,
			rule: 'SHORT_CODE',
			message: expect.stringContaining('short code')
		});
		expect(readRecipient('+1 900 555 0100', rules)).toMatchObject({
			ok: false,
			rule: 'PREMIUM_RATE',
			message: expect.stringContaining('premium-rate')
		});
		expect(readRecipient('+44 20 7946 0958', rules)).toMatchObject({
			ok: false,
			rule: 'INTERNATIONAL_NOT_ALLOWED',
			message: '+442079460958 is an international number (GB); this deployment only dials US, CA numbers.'
		});
	});

	it('dials an international number where the deployment allows it, in its country zone', () => {
		const open = { ...rules, allowInternational: true };
		expect(readRecipient('+44 20 7946 0958', open)).toMatchObject({
			ok: true,
			country: 'GB',
			zones: ['Europe/London']
		});
		expect(readRecipient('+44 909 879 0000', open)).toMatchObject({
			ok: false,
			rule: 'PREMIUM_RATE'
		});
	});
});

describe('calling window', () => {
	const window = { start: '08:00', end: '21:00' };
	it('is open from the start up to (not at) the end, on the recipient clock', () => {
		// 13:00Z is 08:00 in New York in December (EST, -05:00).
		expect(windowOpen(new Date('2026-12-07T12:59:00Z'), ['America/New_York'], window)).toBe(false);
		expect(windowOpen(new Date('2026-12-07T13:00:00Z'), ['America/New_York'], window)).toBe(true);
		expect(windowOpen(new Date('2026-12-08T01:59:00Z'), ['America/New_York'], window)).toBe(true);
		expect(windowOpen(new Date('2026-12-08T02:00:00Z'), ['America/New_York'], window)).toBe(false);
	});

	it('names when calling opens: the next local start, in every zone at once', () => {
		expect(opensAt(new Date('2026-12-08T02:30:00Z'), ['America/New_York'], window)).toEqual(new Date('2026-12-08T13:00:00Z'));
		expect(opensAt(new Date('2026-12-07T10:00:00Z'), ['America/Los_Angeles'], window)).toEqual(new Date('2026-12-07T16:00:00Z'));
		// Chicago opens an hour after New York; both must be open.
		expect(opensAt(new Date('2026-12-07T12:00:00Z'), ['America/Chicago', 'America/New_York'], window)).toEqual(new Date('2026-12-07T14:00:00Z'));
		// Across the spring-forward night, 08:00 EDT is 12:00Z.
		expect(opensAt(new Date('2027-03-14T03:00:00Z'), ['America/New_York'], window)).toEqual(new Date('2027-03-14T12:00:00Z'));
	});

	it('writes the recipient wall clock with its offset', () => {
		expect(localIso(new Date('2026-12-07T02:42:00Z'), 'America/New_York')).toBe('2026-12-06T21:42-05:00');
		expect(localIso(new Date('2026-07-07T02:42:00Z'), 'America/Los_Angeles')).toBe('2026-07-06T19:42-07:00');
	});
});

describe('rule set', () => {
	it('applies the stricter regional window and attempt limit', () => {
		expect(rulesFor(rules, 'FL')).toEqual({
			window: { start: '08:00', end: '20:00' },
			maxAttemptsPer24h: 3,
			law: 'Florida Telephone Solicitation Act'
		});
		expect(rulesFor(rules, 'NY')).toEqual({
			window: { start: '08:00', end: '21:00' },
			maxAttemptsPer24h: null,
			law: null
		});
	});

	it('takes a deployment override as JSON and says what is wrong with a bad one', () => {
		const { rules: custom, problems } = parseRuleSet(
			'{"window":{"start":"09:00","end":"20:00"},"recallGapMinutes":30,"regions":{"TX":{"law":"Texas","window":{"start":"09:00","end":"21:00"}}}}'
		);
		expect(problems).toEqual([]);
		expect(custom).toMatchObject({
			name: 'deployment',
			window: { start: '09:00', end: '20:00' },
			recallGapMinutes: 30
		});
		expect(Object.keys(custom.regions)).toEqual(['FL', 'OK', 'MD', 'WA', 'TX']);
		expect(parseRuleSet('{"window":{"start":"21:00","end":"08:00"}}').problems).toEqual([
			'OUTBOUND_RULES.window: a calling window must start before it ends, e.g. { "start": "08:00", "end": "21:00" }'
		]);
		expect(parseRuleSet('not json').problems[0]).toContain('must be JSON');
	});
});
