import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTelephony } from '../adapters/telephony';
import { parseConfig } from '../env';
import { deliveryKey } from './delivery-ledger';
import { formBody, signedRequest } from './test-requests';
import { twilioWebhook } from './twilio-webhook';
import { parseForm, verifyTwilioRequest } from './verify-twilio-request';
import { ZVoiceRequest } from './voice-params';

const PUBLIC = 'https://calls.example.com';
const config = parseConfig({
	TELEPHONY: 'local',
	TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`,
	TWILIO_AUTH_TOKEN: 'verify-test-token',
	PUBLIC_BASE_URL: PUBLIC,
	I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC: 'true'
});
const telephony = createTelephony(config);
const CALL = `CA${'a'.repeat(32)}`;
const params = { CallSid: CALL, From: '+14155550123', To: '+14155550100', CallStatus: 'ringing' };

const verify = (r: { request: Request; url: URL }, maxBytes?: number) =>
	verifyTwilioRequest({ ...r, config, telephony, maxBytes });

describe('verifyTwilioRequest', () => {
	it('accepts a request signed for the public URL although the app sees another origin', async () => {
		const result = await verify(signedRequest(telephony, { path: '/webhooks/twilio/voice?x=1', params, publicBaseUrl: PUBLIC }));
		expect(result).toEqual(params);
	});

	it('refuses a request signed for the URL the app sees (proxy-side) instead of the public one', async () => {
		const r = signedRequest(telephony, { path: '/webhooks/twilio/voice', params, publicBaseUrl: 'http://127.0.0.1:3000' });
		const result = await verify(r);
		expect(result).toBeInstanceOf(Response);
		expect((result as Response).status).toBe(403);
	});

	it('refuses missing, forged and replayed-with-changed-body signatures with 403', async () => {
		const missing = await verify(signedRequest(telephony, { path: '/w', params, publicBaseUrl: PUBLIC, signature: null }));
		expect((missing as Response).status).toBe(403);
		expect(await (missing as Response).text()).toMatch(/Missing X-Twilio-Signature/);

		const forged = await verify(signedRequest(telephony, { path: '/w', params, publicBaseUrl: PUBLIC, signature: 'bm90IGEgc2lnbmF0dXJl' }));
		expect((forged as Response).status).toBe(403);

		const good = signedRequest(telephony, { path: '/w', params, publicBaseUrl: PUBLIC });
		const signature = good.request.headers.get('x-twilio-signature') ?? '';
		const replay = signedRequest(telephony, {
			path: '/w',
			params,
			publicBaseUrl: PUBLIC,
			signature,
			body: formBody({ ...params, From: '+19995550000' })
		});
		expect(((await verify(replay)) as Response).status).toBe(403);
	});

	it('refuses a body over the cap with 413 before parsing, by declared length or while streaming', async () => {
		const big = { ...params, Junk: 'x'.repeat(2 * 1024 * 1024) };
		const declared = await verify(signedRequest(telephony, { path: '/w', params: big, publicBaseUrl: PUBLIC }));
		expect((declared as Response).status).toBe(413);
		expect(await (declared as Response).text()).toMatch(/larger than 65536 bytes/);

		const stream = new ReadableStream<Uint8Array>({
			start(c) {
				for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode('a'.repeat(4096)));
				c.close();
			}
		});
		const url = new URL('http://127.0.0.1:3000/w');
		const request = new Request(url, { method: 'POST', body: stream, duplex: 'half', headers: { 'x-twilio-signature': 'x' } } as RequestInit);
		expect(((await verify({ request, url })) as Response).status).toBe(413);
	});

	it('keeps every value of a repeated name, and validates it (Twilio vector)', async () => {
		expect(parseForm('Digits=5678&Sid=CA123&Digits=1234')).toEqual({ Digits: ['5678', '1234'], Sid: 'CA123' });
		const repeated = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234'] };
		expect(await verify(signedRequest(telephony, { path: '/w', params: repeated, publicBaseUrl: PUBLIC }))).toEqual(repeated);
	});
});

describe('twilioWebhook', () => {
	const env = { config, adapters: { telephony } };
	const spec = { name: 'voice.test', schema: ZVoiceRequest, handle: () => Promise.resolve(new Response('ok')) };

	it('answers 400 naming the missing or repeated field, never 500', async () => {
		const missing = signedRequest(telephony, { path: '/w', params: { From: '+14155550123' }, publicBaseUrl: PUBLIC });
		const res = await twilioWebhook(missing.request, missing.url, env, spec);
		expect(res.status).toBe(400);
		expect(await res.text()).toMatch(/CallSid is missing/);

		const twice = signedRequest(telephony, { path: '/w', params: { CallSid: [CALL, CALL] }, publicBaseUrl: PUBLIC });
		const res2 = await twilioWebhook(twice.request, twice.url, env, spec);
		expect(res2.status).toBe(400);
		expect(await res2.text()).toMatch(/CallSid was sent more than once/);

		const bad = signedRequest(telephony, { path: '/w', params: { CallSid: 'nonsense' }, publicBaseUrl: PUBLIC });
		expect(await (await twilioWebhook(bad.request, bad.url, env, spec)).text()).toMatch(/CallSid must be CA followed by 32 hex digits/);
	});

	it('refuses another account and maps unexpected failures to onError', async () => {
		const other = signedRequest(telephony, { path: '/w', params: { ...params, AccountSid: `AC${'2'.repeat(32)}` }, publicBaseUrl: PUBLIC });
		expect((await twilioWebhook(other.request, other.url, env, spec)).status).toBe(403);

		const ok = signedRequest(telephony, { path: '/w', params, publicBaseUrl: PUBLIC });
		const res = await twilioWebhook(ok.request, ok.url, env, {
			...spec,
			schema: z.object({ CallSid: z.string() }),
			handle: () => Promise.reject(new Error('database down')),
			onError: () => new Response('<Response/>', { status: 200 })
		});
		expect(res.status).toBe(200);
	});
});

describe('deliveryKey', () => {
	it('is built from the signed delivery ids only', () => {
		expect(deliveryKey('voice.status', [CALL, 2])).toBe(`voice.status:${CALL}:2`);
		expect(deliveryKey('voice.status', [CALL, undefined])).toBe(`voice.status:${CALL}:`);
	});
});
