import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../errors';
import { telephonyContract } from '../contract';
import { LocalCarrier, type SignedCallback } from './local-carrier';
import { LocalTelephony } from './local-telephony';
import { validateWebhookSignature } from '../shared';

const ACCOUNT = `AC${'a'.repeat(32)}`;
const TOKEN = 'local-auth-token';
const BASE = 'http://localhost:3000/carrier';

function carrier(now?: () => Date) {
	return new LocalCarrier({ accountSid: ACCOUNT, authToken: TOKEN, apiBaseUrl: BASE, now });
}

telephonyContract('local carrier', () => Promise.resolve({ port: new LocalTelephony(carrier()) }));

describe('LocalCarrier', () => {
	it('moves a message through queued, sending, sent, delivered with signed status callbacks', () => {
		const c = carrier();
		const callbacks: (SignedCallback | null)[] = [];
		c.on('message-status', (_m, cb) => callbacks.push(cb));
		const m = c.sendMessage({ from: '+15005550006', to: '+14155550123', body: 'hi', statusCallback: 'https://app.example.com/sms/status' });
		expect(['sending', 'sent', 'delivered'].map(() => c.advanceMessage(m.sid).status)).toEqual(['sending', 'sent', 'delivered']);
		expect(callbacks.map((cb) => cb?.params.MessageStatus)).toEqual(['sending', 'sent', 'delivered']);
		const last = callbacks[2]!;
		expect(last.params).toMatchObject({ MessageSid: m.sid, AccountSid: ACCOUNT, From: '+15005550006', To: '+14155550123', ApiVersion: '2010-04-01' });
		expect(validateWebhookSignature(TOKEN, { signature: last.signature, url: last.url, params: last.params })).toBe(true);
		expect(() => c.advanceMessage(m.sid)).toThrow(AdapterError);
	});

	it('fails a message with an error code', () => {
		const c = carrier();
		const m = c.sendMessage({ from: '+15005550006', to: '+14155550123', body: 'hi' });
		expect(c.advanceMessage(m.sid, 'undelivered', 30006)).toMatchObject({ status: 'undelivered', errorCode: 30006 });
	});

	it("refuses Twilio's bad inputs with Twilio's codes", () => {
		const c = carrier();
		const code = (fn: () => unknown) => {
			try {
				fn();
			} catch (err) {
				return (err as AdapterError).vendorCode;
			}
			return 'no error';
		};
		expect(code(() => c.sendMessage({ from: '+15005550006', to: '555-0123', body: 'x' }))).toBe(21211);
		expect(code(() => c.sendMessage({ from: '+15005550006', to: '+14155550123', body: '' }))).toBe(21602);
		expect(code(() => c.sendMessage({ from: '+15005550006', to: '+14155550123', body: 'x'.repeat(1601) }))).toBe(21617);
		expect(code(() => c.createCall({ from: '+15005550006', to: 'agent alice', twiml: '<Response/>' }))).toBe(21211);
	});

	it('moves a call through its progress events, sequencing only the requested callbacks', () => {
		let t = Date.parse('2025-01-06T10:00:00Z');
		const c = carrier(() => new Date(t));
		const callbacks: SignedCallback[] = [];
		c.on('call-status', (_call, cb) => cb && callbacks.push(cb));
		const call = c.createCall({
			from: '+15005550006',
			to: '+14155550123',
			url: 'https://app.example.com/voice/outbound',
			statusCallback: 'https://app.example.com/voice/status',
			statusCallbackEvent: ['answered', 'completed']
		});
		c.advanceCall(call.sid); // initiated
		c.advanceCall(call.sid); // ringing
		c.advanceCall(call.sid); // in-progress
		t += 42_000;
		const ended = c.advanceCall(call.sid);
		expect(ended).toMatchObject({ status: 'completed', durationSeconds: 42 });
		expect(callbacks.map((cb) => [cb.params.CallStatus, cb.params.SequenceNumber])).toEqual([
			['in-progress', '0'],
			['completed', '1']
		]);
		expect(callbacks[1]!.params).toMatchObject({ CallDuration: '42', CallbackSource: 'call-progress-events', Timestamp: 'Mon, 06 Jan 2025 10:00:42 +0000' });
		expect(validateWebhookSignature(TOKEN, { signature: callbacks[1]!.signature, url: callbacks[1]!.url, params: callbacks[1]!.params })).toBe(true);
	});

	it('cancels only calls that were not answered', () => {
		const c = carrier();
		const ringing = c.createCall({ from: '+15005550006', to: '+14155550123', twiml: '<Response/>' });
		expect(c.updateCall(ringing.sid, { status: 'canceled' }).status).toBe('canceled');
		const live = c.createCall({ from: '+15005550006', to: '+14155550123', twiml: '<Response/>' });
		c.advanceCall(live.sid, 'in-progress');
		expect(c.updateCall(live.sid, { status: 'canceled' }).status).toBe('in-progress');
		expect(() => c.advanceCall(live.sid, 'busy')).toThrow(AdapterError);
	});

	it('serves recordings at their RecordingUrl, with or without an extension', async () => {
		const c = carrier();
		const port = new LocalTelephony(c);
		const rec = c.addRecording({ body: new Uint8Array([82, 73, 70, 70]), durationSeconds: 3 });
		expect(rec.url).toBe(`${BASE}/2010-04-01/Accounts/${ACCOUNT}/Recordings/${rec.sid}`);
		expect(rec.sid).toMatch(/^RE[0-9a-f]{32}$/);
		expect(await port.fetchRecording(`${rec.url}.wav`)).toEqual({ body: new Uint8Array([82, 73, 70, 70]), contentType: 'audio/x-wav' });
		await expect(port.fetchRecording(rec.url.replace(rec.sid, `RE${'0'.repeat(32)}`))).rejects.toMatchObject({ status: 404 });
	});

	it('verifies the softphone tokens it minted and nothing else', () => {
		let t = Date.now();
		const c = carrier(() => new Date(t));
		const { token } = c.mintClientToken({ identity: 'agent_bob', ttlSeconds: 120 });
		expect(c.verifyClientToken(token)).toMatchObject({ identity: 'agent_bob', incomingAllow: true, outgoingApplicationSid: c.applicationSid });
		const other = new LocalCarrier({ accountSid: ACCOUNT, authToken: 'another-token', apiBaseUrl: BASE });
		expect(other.verifyClientToken(token)).toBeNull();
		const [h, p, s] = token.split('.');
		const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), exp: 9_999_999_999 })).toString('base64url');
		expect(c.verifyClientToken(`${h}.${forged}.${s}`)).toBeNull();
		t += 121_000;
		expect(c.verifyClientToken(token)).toBeNull();
	});
});
