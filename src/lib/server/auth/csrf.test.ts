import { describe, expect, it } from 'vitest';
import { isCrossSiteFormPost } from './csrf';

const url = new URL('https://calls.example.com/customers/1?/save');
const post = (headers: Record<string, string>, method = 'POST', target = url) => isCrossSiteFormPost(new Request(target, { method, headers }), target);

describe('isCrossSiteFormPost', () => {
	it('refuses form posts from another origin or with no origin', () => {
		expect(post({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' })).toBe(true);
		expect(post({ 'content-type': 'multipart/form-data; boundary=x', origin: 'https://evil.example' })).toBe(true);
		expect(post({ 'content-type': 'text/plain;charset=UTF-8' })).toBe(true);
		expect(post({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, 'DELETE')).toBe(true);
	});

	it('accepts same-origin form posts, JSON, and safe methods', () => {
		expect(post({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://calls.example.com' })).toBe(false);
		expect(post({ 'content-type': 'application/json', origin: 'https://evil.example' })).toBe(false);
		expect(isCrossSiteFormPost(new Request(url, { method: 'GET' }), url)).toBe(false);
	});

	it('leaves Twilio webhooks to their signature check', () => {
		const hook = new URL('https://calls.example.com/webhooks/twilio/voice');
		expect(post({ 'content-type': 'application/x-www-form-urlencoded' }, 'POST', hook)).toBe(false);
		const other = new URL('https://calls.example.com/webhooks/other');
		expect(post({ 'content-type': 'application/x-www-form-urlencoded' }, 'POST', other)).toBe(true);
	});

	it("leaves the local carrier's REST paths to Basic credentials but checks its scenario API", () => {
		const rest = new URL('https://calls.example.com/carrier/2010-04-01/Accounts/AC1/Calls.json');
		expect(post({ 'content-type': 'application/x-www-form-urlencoded' }, 'POST', rest)).toBe(false);
		const scenario = new URL('https://calls.example.com/carrier/scenario/call');
		expect(post({ 'content-type': 'text/plain', origin: 'https://evil.example' }, 'POST', scenario)).toBe(true);
		expect(post({ 'content-type': 'text/plain', origin: 'https://calls.example.com' }, 'POST', scenario)).toBe(false);
	});
});
