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
});
