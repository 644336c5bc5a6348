import { describe, expect, it } from 'vitest';
import { forwardCookies } from './forward-cookies';

describe('forwardCookies', () => {
	it('sets each Set-Cookie on the jar with its attributes', () => {
		const set: [string, string, object][] = [];
		const headers = new Headers();
		headers.append('set-cookie', 'switchboard.session_token=abc.def; Max-Age=7200; Path=/; HttpOnly; SameSite=Lax');
		headers.append('set-cookie', 'switchboard.other=; Max-Age=0; Path=/');
		forwardCookies(headers, { set: (name, value, options) => set.push([name, value, options]) });
		expect(set).toEqual([
			['switchboard.session_token', 'abc.def', expect.objectContaining({ maxAge: 7200, path: '/', httpOnly: true, sameSite: 'lax' })],
			['switchboard.other', '', expect.objectContaining({ maxAge: 0, path: '/' })]
		]);
	});

	it('does nothing without Set-Cookie', () => {
		const calls: string[] = [];
		forwardCookies(new Headers(), { set: (name) => calls.push(name) });
		forwardCookies(null, { set: (name) => calls.push(name) });
		expect(calls).toEqual([]);
	});
});
