import { describe, expect, it } from 'vitest';
import { toSessionUser } from './session-user';

const row = { id: 'u1', name: 'Pat', email: 'pat@test.local', role: 'manager' };

describe('toSessionUser', () => {
	it('keeps id, name, email and role', () => {
		expect(toSessionUser({ ...row, banned: false, banExpires: null })).toEqual(row);
	});

	it('counts a banned user as signed out until the ban lapses', () => {
		const now = Date.parse('2026-01-01T12:00:00Z');
		expect(toSessionUser({ ...row, banned: true }, now)).toBeNull();
		expect(toSessionUser({ ...row, banned: true, banExpires: new Date(now + 1000) }, now)).toBeNull();
		expect(toSessionUser({ ...row, banned: true, banExpires: new Date(now - 1000) }, now)).toEqual(row);
	});

	it('refuses a role the app does not know', () => {
		expect(toSessionUser({ ...row, role: 'user' })).toBeNull();
		expect(toSessionUser({ ...row, role: null })).toBeNull();
	});
});
