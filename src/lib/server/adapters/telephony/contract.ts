/**
 * The behaviour every telephony adapter owes the domain, as one suite. Run against the local
 * carrier and against TwilioTelephony talking to a fake Twilio on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { AdapterError } from '../errors';
import type { TelephonyPort } from './port';
import { bodySha256 } from './shared';

export interface TelephonyFixture {
	port: TelephonyPort;
	close?(): Promise<void>;
}

const FROM = '+15005550006';
const TO = '+14155550123';

interface AccessTokenClaims {
	iss: string;
	sub: string;
	grants: { identity: string; voice: { incoming: { allow: boolean }; outgoing: { application_sid: string } } };
}

function decodeJwt(token: string): { header: Record<string, unknown>; payload: AccessTokenClaims } {
	const [h, p] = token.split('.');
	return {
		header: JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Record<string, unknown>,
		payload: JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as AccessTokenClaims
	};
}

/** The port under test, once the suite's beforeAll has created it. */
type PortOf = () => TelephonyPort;

export function telephonyContract(name: string, create: () => Promise<TelephonyFixture>): void {
	describe(`TelephonyPort contract: ${name}`, () => {
		let fixture: TelephonyFixture;
		beforeAll(async () => {
			fixture = await create();
		});
		afterAll(async () => {
			await fixture.close?.();
		});
		const portOf: PortOf = () => fixture.port;
		describe('messages', () => messagesContract(portOf));
		describe('calls', () => callsContract(portOf));
		describe('webhook signatures', () => signaturesContract(portOf));
		describe('softphone tokens', () => clientTokensContract(portOf));
		describe('credentials', () => credentialsContract(portOf));
	});
}

function messagesContract(portOf: PortOf): void {
	it('sends a message and reads it back as the carrier holds it', async () => {
		const port = portOf();
		const ref = await port.sendMessage({ from: FROM, to: TO, body: 'Your callback is at 3pm.' });
		expect(ref.sid).toMatch(/^SM[0-9a-f]{32}$/);
		expect(ref.status).toBe('queued');
		const record = await port.fetchMessage(ref.sid);
		expect(record).toMatchObject({
			sid: ref.sid,
			accountSid: port.accountSid,
			from: FROM,
			to: TO,
			body: 'Your callback is at 3pm.',
			direction: 'outbound-api',
			numMedia: 0,
			errorCode: null
		});
		expect(record.dateCreated).toBeInstanceOf(Date);
	});

	it('counts media on a message with attachments', async () => {
		const port = portOf();
		const ref = await port.sendMessage({ from: FROM, to: TO, body: '', mediaUrls: ['https://example.com/a.png', 'https://example.com/b.png'] });
		expect((await port.fetchMessage(ref.sid)).numMedia).toBe(2);
	});
}

function callsContract(portOf: PortOf): void {
	it('places a call, redirects it, and hangs it up', async () => {
		const port = portOf();
		const ref = await port.createCall({
			from: FROM,
			to: TO,
			twiml: '<Response><Say>Hello</Say></Response>',
			statusCallback: 'https://app.example.com/webhooks/twilio/status',
			statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed']
		});
		expect(ref.sid).toMatch(/^CA[0-9a-f]{32}$/);
		expect(ref.status).toBe('queued');
		expect(await port.fetchCall(ref.sid)).toMatchObject({ sid: ref.sid, from: FROM, to: TO, direction: 'outbound-api', endTime: null });
		expect((await port.updateCall(ref.sid, { twiml: '<Response><Hangup/></Response>' })).sid).toBe(ref.sid);
		expect(await port.updateCall(ref.sid, { status: 'completed' })).toEqual({ sid: ref.sid, status: 'completed' });
		const ended = await port.fetchCall(ref.sid);
		expect(ended.status).toBe('completed');
		expect(ended.endTime).toBeInstanceOf(Date);
	});

	it('refuses to redirect a call that has ended (21220)', async () => {
		const port = portOf();
		const ref = await port.createCall({ from: FROM, to: 'client:agent_alice', url: 'https://app.example.com/voice/outbound' });
		await port.updateCall(ref.sid, { status: 'completed' });
		const err = await port.updateCall(ref.sid, { url: 'https://app.example.com/voice/other' }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({ vendorCode: 21220, retryable: false });
	});

	it('reports an unknown SID as not found', async () => {
		const port = portOf();
		const err = await port.fetchMessage(`SM${'0'.repeat(32)}`).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AdapterError);
		expect((err as AdapterError).notFound).toBe(true);
		expect((err as AdapterError).vendorCode).toBe(20404);
		await expect(port.fetchCall(`CA${'0'.repeat(32)}`)).rejects.toMatchObject({ status: 404 });
	});
}

function signaturesContract(portOf: PortOf): void {
	it('validates signatures it computed and rejects forged, altered or missing ones', () => {
		const port = portOf();
		const url = 'https://calls.example.com/webhooks/twilio/voice?queue=sales';
		const params = { CallSid: `CA${'1'.repeat(32)}`, From: TO, To: FROM, Digits: ['2', '1'] };
		const signature = port.signWebhook({ url, params });
		expect(port.validateWebhook({ signature, url, params })).toBe(true);
		expect(port.validateWebhook({ signature, url: 'https://calls.example.com:443/webhooks/twilio/voice?queue=sales', params })).toBe(true);
		expect(port.validateWebhook({ signature, url, params: { ...params, From: '+19995550000' } })).toBe(false);
		expect(port.validateWebhook({ signature, url: `${url}&x=1`, params })).toBe(false);
		expect(port.validateWebhook({ signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=', url, params })).toBe(false);
		expect(port.validateWebhook({ signature: undefined, url, params })).toBe(false);
		expect(port.validateWebhook({ signature: '', url, params })).toBe(false);
	});

	it('validates a JSON webhook by URL signature and body hash', () => {
		const port = portOf();
		const body = '{"event":"call-summary","callSid":"CA1"}';
		const url = `https://calls.example.com/webhooks/twilio/json?bodySHA256=${bodySha256(body)}`;
		const signature = port.signWebhook({ url, params: {} });
		expect(port.validateJsonWebhook({ signature, url, body })).toBe(true);
		expect(port.validateJsonWebhook({ signature, url, body: body.replace('CA1', 'CA2') })).toBe(false);
		expect(port.validateJsonWebhook({ signature: null, url, body })).toBe(false);
		const unhashed = 'https://calls.example.com/webhooks/twilio/json';
		expect(port.validateJsonWebhook({ signature: port.signWebhook({ url: unhashed, params: {} }), url: unhashed, body })).toBe(false);
	});
}

function clientTokensContract(portOf: PortOf): void {
	it('mints a softphone token with a voice grant for the identity', async () => {
		const port = portOf();
		const before = Date.now();
		const token = await port.createClientToken({ identity: 'agent_alice', ttlSeconds: 600 });
		expect(token.identity).toBe('agent_alice');
		expect(token.expiresAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
		expect(token.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 601_000);
		const { header, payload } = decodeJwt(token.token);
		expect(header).toMatchObject({ alg: 'HS256', cty: 'twilio-fpa;v=1' });
		expect(payload.sub).toBe(port.accountSid);
		expect(payload.iss).toMatch(/^SK/);
		expect(payload.grants.identity).toBe('agent_alice');
		expect(payload.grants.voice.incoming).toEqual({ allow: true });
		expect(payload.grants.voice.outgoing.application_sid).toMatch(/^AP/);
	});

	it('refuses a softphone identity with spaces and an out-of-range lifetime', async () => {
		const port = portOf();
		await expect(port.createClientToken({ identity: 'agent alice', ttlSeconds: 600 })).rejects.toBeInstanceOf(AppError);
		await expect(port.createClientToken({ identity: 'agent_alice', ttlSeconds: 90_000 })).rejects.toMatchObject({
			kind: 'BAD_REQUEST',
			code: 'INVALID_TOKEN_TTL'
		});
	});
}

function credentialsContract(portOf: PortOf): void {
	it('never sends credentials to a host other than the carrier', async () => {
		const port = portOf();
		const err = await port.fetchRecording(`https://attacker.example.com/2010-04-01/Accounts/${port.accountSid}/Recordings/RE${'1'.repeat(32)}`).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({ retryable: false });
	});
}
