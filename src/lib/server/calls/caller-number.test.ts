import { describe, expect, it } from 'vitest';
import { agentClientIdentity, agentIdFromClient, phoneNumberOrNull } from './caller-number';
import { isQueueOpen } from './find-voice-queue';

describe('phoneNumberOrNull', () => {
	it.each(['anonymous', 'Anonymous', '+266696687', '+7378742833', 'client:alice', 'sip:alice@example.com', 'sips:bob@pbx.example.com;transport=tls', '', '   ', 'not a number', '+1'])(
		'is null for %j, never throwing',
		(raw) => expect(phoneNumberOrNull(raw)).toBeNull()
	);

	it('normalizes real numbers to E.164', () => {
		expect(phoneNumberOrNull('+14155550100')).toBe('+14155550100');
		expect(phoneNumberOrNull('(212) 555-0123')).toBe('+12125550123');
	});
});

describe('agent client identity', () => {
	it('round-trips through client:agent_<id>', () => {
		expect(agentClientIdentity('u123')).toBe('agent_u123');
		expect(agentIdFromClient(`client:${agentClientIdentity('u123')}`)).toBe('u123');
		expect(agentIdFromClient('client:alice')).toBeNull();
		expect(agentIdFromClient('+14155550100')).toBeNull();
	});

	it("follows Twilio's identity rule (letters, digits, underscore) for any user id, and reads it back", () => {
		for (const id of ['3f2a9c1e-7b4d-4e8a-9c0f-1a2b3c4d5e6f', 'a_b', 'x.y@z', 'Zoë']) {
			const identity = agentClientIdentity(id);
			expect(identity, id).toMatch(/^[A-Za-z0-9_]{1,256}$/);
			expect(agentIdFromClient(`client:${identity}`)).toBe(id);
		}
	});
});

describe('isQueueOpen', () => {
	const hours = { timezone: 'America/New_York', days: { '1': [['09:00', '17:00']] as [string, string][] } };
	it('reads the hours in the queue time zone', () => {
		// Monday 2026-11-23 14:30 UTC is 09:30 in New York.
		expect(isQueueOpen(hours, new Date('2026-11-23T14:30:00Z'))).toBe(true);
		expect(isQueueOpen(hours, new Date('2026-11-23T13:30:00Z'))).toBe(false);
		expect(isQueueOpen(hours, new Date('2026-11-23T22:00:00Z'))).toBe(false);
		expect(isQueueOpen(hours, new Date('2026-11-24T14:30:00Z'))).toBe(false);
		expect(isQueueOpen(null, new Date())).toBe(true);
	});
});
