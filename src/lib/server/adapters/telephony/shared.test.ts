import { describe, expect, it } from 'vitest';
import { assertClientTokenInput, bodySha256, rebaseTwilioUrl, signWebhook, validateJsonWebhookSignature, validateWebhookSignature } from './shared';

// Twilio's published signature vectors (its webhook security docs, auth token 12345): the local carrier must sign exactly as Twilio does.
const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' };

describe('Twilio webhook signatures', () => {
	it('reproduces the published form-encoded vectors', () => {
		expect(signWebhook(TOKEN, URL_, PARAMS)).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
		expect(signWebhook(TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS)).toBe('kvajT1Ptam85bY51eRf/AJRuM3w=');
		expect(signWebhook(TOKEN, 'http://mycompany.com:1234/myapp.php?foo=1&bar=2', PARAMS)).toBe('Zmvh+3yNM1Phv2jhDCwEM3q5ebU=');
		expect(signWebhook(TOKEN, URL_, { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234'] })).toBe('IK+Dwps556ElfBT0I3Rgjkr1wJU=');
	});

	it('accepts the vectors with and without the default port', () => {
		expect(validateWebhookSignature(TOKEN, { signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url: URL_, params: PARAMS })).toBe(true);
		expect(validateWebhookSignature(TOKEN, { signature: 'kvajT1Ptam85bY51eRf/AJRuM3w=', url: URL_, params: PARAMS })).toBe(true);
		expect(
			validateWebhookSignature(TOKEN, { signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url: 'https://mycompany.com:443/myapp.php?foo=1&bar=2', params: PARAMS })
		).toBe(true);
	});

	it('rejects a forged, re-keyed or missing signature and a changed parameter', () => {
		expect(validateWebhookSignature(TOKEN, { signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8X', url: URL_, params: PARAMS })).toBe(false);
		expect(validateWebhookSignature('54321', { signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url: URL_, params: PARAMS })).toBe(false);
		expect(validateWebhookSignature(TOKEN, { signature: undefined, url: URL_, params: PARAMS })).toBe(false);
		expect(validateWebhookSignature(TOKEN, { signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url: URL_, params: { ...PARAMS, Digits: '1235' } })).toBe(false);
		expect(validateWebhookSignature(TOKEN, { signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url: 'not a url', params: PARAMS })).toBe(false);
	});

	it('reproduces the JSON-body vector and checks the body hash', () => {
		const body = '{"property": "value", "boolean": true}';
		const hash = '0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620';
		expect(bodySha256(body)).toBe(hash);
		const url = `${URL_}&bodySHA256=${hash}`;
		expect(signWebhook(TOKEN, url, {})).toBe('a9nBmqA0ju/hNViExpshrM61xv4=');
		expect(validateJsonWebhookSignature(TOKEN, { signature: 'a9nBmqA0ju/hNViExpshrM61xv4=', url, body })).toBe(true);
		expect(validateJsonWebhookSignature(TOKEN, { signature: 'a9nBmqA0ju/hNViExpshrM61xv4=', url, body: '{"property": "value", "boolean": false}' })).toBe(false);
		expect(validateJsonWebhookSignature(TOKEN, { signature: '', url, body })).toBe(false);
	});

	it('rebases only api.twilio.com URLs', () => {
		expect(rebaseTwilioUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/Calls.json', 'http://127.0.0.1:9/carrier/')).toBe(
			'http://127.0.0.1:9/carrier/2010-04-01/Accounts/AC1/Calls.json'
		);
		expect(rebaseTwilioUrl('https://api.dublin.ie1.twilio.com/2010-04-01/x', 'http://127.0.0.1:9')).toBe('http://127.0.0.1:9/2010-04-01/x');
		expect(rebaseTwilioUrl('https://voice.twilio.com/v1/x', 'http://127.0.0.1:9')).toBe('https://voice.twilio.com/v1/x');
		expect(rebaseTwilioUrl('https://api.twilio.com.evil.example/x', 'http://127.0.0.1:9')).toBe('https://api.twilio.com.evil.example/x');
	});
});

describe("assertClientTokenInput follows Twilio's identity rule", () => {
	it('accepts letters, digits and underscore up to 256 characters, and refuses anything else', () => {
		for (const identity of ['agent_alice', 'A1_b2', 'x'.repeat(256)]) expect(() => assertClientTokenInput({ identity, ttlSeconds: 600 }), identity).not.toThrow();
		for (const identity of ['agent-alice', 'agent.alice', 'ağent', 'agent alice', '', 'x'.repeat(257)]) {
			expect(() => assertClientTokenInput({ identity, ttlSeconds: 600 }), identity).toThrow(/letters, digits or underscores/);
		}
	});
});
