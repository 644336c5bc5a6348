import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite } from './csrf';

const url = new URL('https://calls.example.com/customers/1?/save');
const send = (headers: Record<string, string>, method = 'POST', target = url) => isCrossSiteWrite(new Request(target, { method, headers }), target);

describe('isCrossSiteWrite', () => {
	it('refuses form posts from another origin or with no origin', () => {
		expect(send({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' })).toBe(true);
		expect(send({ 'content-type': 'multipart/form-data; boundary=x', origin: 'https://evil.example' })).toBe(true);
		expect(send({ 'content-type': 'text/plain;charset=UTF-8' })).toBe(true);
		expect(send({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, 'DELETE')).toBe(true);
	});

	it('refuses every unsafe method from elsewhere whatever its content type: JSON, none, or any other', () => {
		for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
			expect(send({ 'content-type': 'application/json', origin: 'https://evil.example' }, method), method).toBe(true);
			expect(send({ origin: 'https://calls.example.com.evil.example' }, method), method).toBe(true);
			expect(send({ 'content-type': 'application/octet-stream' }, method), method).toBe(true);
			expect(send({ 'content-type': 'application/json', origin: 'null' }, method), method).toBe(true);
		}
		// Without Origin, only a browser's own word that the request is same-origin counts.
		expect(send({ 'content-type': 'application/json', 'sec-fetch-site': 'same-site' })).toBe(true);
		expect(send({ 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).toBe(true);
		// A foreign Origin is not rescued by Sec-Fetch-Site.
		expect(send({ origin: 'https://evil.example', 'sec-fetch-site': 'same-origin' })).toBe(true);
	});

	it('accepts same-origin writes by Origin or by Sec-Fetch-Site, and safe methods from anywhere', () => {
		expect(send({ 'content-type': 'application/x-www-form-urlencoded', origin: 'https://calls.example.com' })).toBe(false);
		expect(send({ 'content-type': 'application/json', origin: 'https://calls.example.com' }, 'PATCH')).toBe(false);
		expect(send({ 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }, 'DELETE')).toBe(false);
		expect(isCrossSiteWrite(new Request(url, { method: 'GET' }), url)).toBe(false);
		expect(isCrossSiteWrite(new Request(url, { method: 'HEAD', headers: { origin: 'https://evil.example' } }), url)).toBe(false);
	});

	it('leaves Twilio webhooks to their signature check and the local carrier to its Basic credentials', () => {
		const hook = new URL('https://calls.example.com/webhooks/twilio/voice');
		expect(send({ 'content-type': 'application/x-www-form-urlencoded' }, 'POST', hook)).toBe(false);
		expect(send({ 'content-type': 'application/json' }, 'POST', new URL('https://calls.example.com/carrier/2010-04-01/Accounts/AC1/Calls.json'))).toBe(false);
		const other = new URL('https://calls.example.com/webhooks/other');
		expect(send({ 'content-type': 'application/x-www-form-urlencoded' }, 'POST', other)).toBe(true);
		expect(send({ 'content-type': 'application/json' }, 'POST', new URL('https://calls.example.com/api/trpc/sms.send'))).toBe(true);
	});

	it("leaves the local carrier's REST paths to Basic credentials but checks its scenario API", () => {
		const rest = new URL('https://calls.example.com/carrier/2010-04-01/Accounts/AC1/Calls.json');
		expect(send({ 'content-type': 'application/x-www-form-urlencoded' }, 'POST', rest)).toBe(false);
		const scenario = new URL('https://calls.example.com/carrier/scenario/call');
		expect(send({ 'content-type': 'text/plain', origin: 'https://evil.example' }, 'POST', scenario)).toBe(true);
		expect(send({ 'content-type': 'application/json' }, 'POST', scenario)).toBe(true);
		expect(send({ 'content-type': 'text/plain', origin: 'https://calls.example.com' }, 'POST', scenario)).toBe(false);
		// `npm run carrier` sends the carrier's Basic credentials and no Origin; a browser cannot add
		// Authorization to a cross-site request without a preflight nothing grants.
		expect(send({ 'content-type': 'application/json', authorization: 'Basic QUM6dG9rZW4=' }, 'POST', scenario)).toBe(false);
	});
});
