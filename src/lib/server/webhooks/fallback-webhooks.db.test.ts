/**
 * The fallback routes: the exact TwiML they answer, the signature check first (403, nothing
 * written), what they log (ErrorCode and ErrorUrl, never bodies or query strings), and the
 * local carrier reaching them when the primary webhook answers 500, as local mode configures it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copyFileSync, readdirSync } from 'node:fs';
import { count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { carrierEngineOf, createTelephony, LOCAL_NUMBER_DEFAULTS, LocalTelephony } from '../adapters/telephony';
import { CUSTOMER, SWITCHBOARD_NUMBER, startHarness, type Harness } from '../adapters/telephony/carrier/test-switchboard';
import type { Db } from '../db/client';
import { consentLedger } from '../db/schema/compliance';
import { smsMessages } from '../db/schema/sms';
import { calls } from '../db/schema/calls';
import { callEvents } from '../db/schema/calls';
import { parseConfig } from '../env';
import { setLogLevel } from '../log';
import { ACCOUNT_SID, createVoiceHarness, newCallSid, PUBLIC_BASE_URL, type VoiceHarness } from '../calls/test-harness';
import { FALLBACK_APOLOGY, FALLBACK_PATHS, smsFallbackWebhook, voiceFallbackWebhook, type FallbackEnv } from './fallback-webhooks';
import { replaySpool, type ReplaySpoolServices } from './replay-spool';
import { spoolDir } from './spool';
import { signedRequest } from './test-requests';
import type { TwilioParams } from './verify-twilio-request';

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const MESSAGE_SID = `SM${'a1'.repeat(16)}`;

let h: VoiceHarness;
/** Everything the logger printed at warn and error while a test ran. */
let printed: string[] = [];

beforeAll(async () => {
	h = await createVoiceHarness();
}, 60_000);
afterAll(() => h.close());
afterEach(() => {
	vi.restoreAllMocks();
	setLogLevel('error');
});

function captureLogs(): void {
	printed = [];
	setLogLevel('warn');
	const keep = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
	vi.spyOn(console, 'error').mockImplementation(keep);
	vi.spyOn(console, 'warn').mockImplementation(keep);
}

async function written() {
	const sms = (await h.testDb.db.select({ n: count() }).from(smsMessages))[0]?.n ?? 0;
	return { ...(await h.counts()), sms };
}

function post(pathname: string, params: TwilioParams, options: { signature?: string | null } = {}) {
	const { request, url } = signedRequest(h.adapters.telephony, { path: pathname, params, publicBaseUrl: PUBLIC_BASE_URL, ...options });
	const handler = pathname.startsWith(FALLBACK_PATHS.voice) ? voiceFallbackWebhook : smsFallbackWebhook;
	return handler(env(), request, url);
}

/** The harness's services with DATA_DIR (for the spool): the fallback routes' environment. */
const env = (over: Partial<FallbackEnv> = {}): FallbackEnv => ({ ...h.services, config: h.config, ...over });

const voiceFailure = (callSid: string) => ({
	CallSid: callSid,
	AccountSid: ACCOUNT_SID,
	From: '+12125550123',
	To: '+14155550100',
	CallStatus: 'ringing',
	Direction: 'inbound',
	ApiVersion: '2010-04-01',
	ErrorCode: '11200',
	ErrorUrl: `${PUBLIC_BASE_URL}/webhooks/twilio/voice?agent=tok_should_not_be_logged`
});

const smsFailure = {
	MessageSid: MESSAGE_SID,
	AccountSid: ACCOUNT_SID,
	From: '+12125550123',
	To: '+14155550100',
	Body: 'my card PIN is 4321',
	NumMedia: '0',
	ApiVersion: '2010-04-01',
	ErrorCode: '11205',
	ErrorUrl: `${PUBLIC_BASE_URL}/webhooks/twilio/sms`
};

describe('POST /webhooks/twilio/voice/fallback', () => {
	it('answers an apology and a hangup, writes nothing, and logs the error code and the failed path', async () => {
		const before = await written();
		const callSid = newCallSid();
		captureLogs();
		const res = await post(FALLBACK_PATHS.voice, voiceFailure(callSid));
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
		expect(await res.text()).toBe(
			`${XML}<Response><Say>Sorry, we cannot take your call right now because of a technical problem. Please call again later.</Say><Hangup/></Response>`
		);
		expect(await written()).toEqual(before);
		const line = printed.find((l) => l.includes('voice fallback answered'));
		expect(line).toContain('ERROR');
		expect(line).toContain(`"callSid":"${callSid}"`);
		expect(line).toContain('"errorCode":11200');
		expect(line).toContain(`"errorUrl":"${PUBLIC_BASE_URL}/webhooks/twilio/voice"`);
		expect(printed.join('\n')).not.toContain('tok_should_not_be_logged');
	});

	it('refuses a forged or missing signature with 403 before anything else', async () => {
		const before = await written();
		captureLogs();
		const forged = await post(FALLBACK_PATHS.voice, voiceFailure(newCallSid()), { signature: 'bm90LWEtc2lnbmF0dXJl' });
		expect(forged.status).toBe(403);
		expect(await forged.text()).toMatch(/X-Twilio-Signature does not match/);
		const missing = await post(FALLBACK_PATHS.voice, voiceFailure(newCallSid()), { signature: null });
		expect(missing.status).toBe(403);
		expect(await written()).toEqual(before);
		expect(printed.some((l) => l.includes('fallback answered'))).toBe(false);
	});

	it('says which field is wrong in a signed request that is not a call', async () => {
		const res = await post(FALLBACK_PATHS.voice, { ...voiceFailure(newCallSid()), CallSid: 'CA-nope' });
		expect(res.status).toBe(400);
		expect(await res.text()).toMatch(/CallSid must be CA followed by 32 hex digits/);
	});
});

describe('POST /webhooks/twilio/sms/fallback', () => {
	it('answers an empty Response, writes nothing, and never logs the body', async () => {
		const before = await written();
		captureLogs();
		const res = await post(FALLBACK_PATHS.sms, smsFailure);
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(`${XML}<Response/>`);
		expect(await written()).toEqual(before);
		const line = printed.find((l) => l.includes('sms fallback answered'));
		expect(line).toContain(`"messageSid":"${MESSAGE_SID}"`);
		expect(line).toContain('"errorCode":11205');
		expect(line).toContain(`"errorUrl":"${PUBLIC_BASE_URL}/webhooks/twilio/sms"`);
		expect(printed.join('\n')).not.toContain('4321');
	});

	it('refuses a forged signature and a replayed body with 403, writing nothing', async () => {
		const before = await written();
		const forged = await post(FALLBACK_PATHS.sms, smsFailure, { signature: 'bm90LWEtc2lnbmF0dXJl' });
		expect(forged.status).toBe(403);
		const { request, url } = signedRequest(h.adapters.telephony, {
			path: FALLBACK_PATHS.sms,
			params: smsFailure,
			publicBaseUrl: PUBLIC_BASE_URL,
			body: new URLSearchParams({ ...smsFailure, Body: 'changed' }).toString()
		});
		expect((await smsFallbackWebhook(env(), request, url)).status).toBe(403);
		expect(await written()).toEqual(before);
	});
});

describe('the local carrier and the fallback routes', () => {
	let carrier: Harness | undefined;
	afterEach(async () => {
		await carrier?.close();
		carrier = undefined;
	});

	it('configures every local number with the fallback routes', () => {
		const config = parseConfig({
			TELEPHONY: 'local',
			TWILIO_ACCOUNT_SID: ACCOUNT_SID,
			TWILIO_AUTH_TOKEN: 'fallback-test-token',
			AUTH_SECRET: 'fallback-test-secret-at-least-32-characters',
			PUBLIC_BASE_URL,
			I_UNDERSTAND_LOCAL_MODE_IS_PUBLIC: 'true',
			DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-fallback-'))
		});
		const engine = carrierEngineOf(createTelephony(config));
		expect(engine?.numberConfig('+14155550199')).toMatchObject({
			voiceFallbackUrl: `${PUBLIC_BASE_URL}${FALLBACK_PATHS.voice}`,
			smsFallbackUrl: `${PUBLIC_BASE_URL}${FALLBACK_PATHS.sms}`
		});
	});

	it('a voice URL answering 500 reaches our fallback route, whose apology the caller hears before the hangup', async () => {
		// The same number defaults as local mode (checked above), on a virtual clock.
		const c = await startHarness({ defaults: LOCAL_NUMBER_DEFAULTS });
		carrier = c;
		setLogLevel('silent');
		const env: FallbackEnv = {
			config: { publicBaseUrl: c.server.url, dataDir: mkdtempSync(path.join(tmpdir(), 'switchboard-fallback-')) },
			adapters: { telephony: new LocalTelephony(c.carrier) }
		};
		c.routes.set('/webhooks/twilio/voice', () => ({ status: 500, body: 'database is down' }));
		c.routes.set('/webhooks/twilio/sms', () => ({ status: 500, body: 'database is down' }));
		const answered: number[] = [];
		for (const [route, handler] of [
			[FALLBACK_PATHS.voice, voiceFallbackWebhook],
			[FALLBACK_PATHS.sms, smsFallbackWebhook]
		] as const) {
			c.routes.set(route, async (req) => {
				const url = new URL(req.path, c.server.url);
				const headers = Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : []));
				const res = await handler(env, new Request(url, { method: 'POST', headers, body: new Uint8Array(req.body) }), url);
				answered.push(res.status);
				return { status: res.status, body: await res.text() };
			});
		}

		const call = c.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		for (let i = 0; i < 20 && call.status !== 'completed'; i++) await c.clock.advance(1000);
		expect(call.heard).toEqual([FALLBACK_APOLOGY]);
		expect(call.status).toBe('completed');
		const fallback = c.hits(FALLBACK_PATHS.voice);
		expect(fallback).toHaveLength(1);
		expect(Object.fromEntries(fallback[0]!.form())).toMatchObject({
			CallSid: call.sid,
			ErrorCode: '11217',
			ErrorUrl: `${c.server.url}/webhooks/twilio/voice`
		});

		const text = await c.engine.phone(CUSTOMER).text(SWITCHBOARD_NUMBER, 'Are you open on Sunday?');
		expect(text.webhook).toEqual({ ok: true, errorCode: null });
		expect(Object.fromEntries(c.hits(FALLBACK_PATHS.sms)[0]!.form())).toMatchObject({ MessageSid: text.sid, ErrorCode: '11217' });
		expect(answered).toEqual([200, 200]);
		// The empty reply sends nothing back to the customer.
		await c.clock.advance(3000);
		expect(c.engine.phone(CUSTOMER).texts.map((t) => t.direction)).toEqual(['sent']);
	});
});

describe('the spool: fallback deliveries reach the archive once the database is back', () => {
	/** A database that is down: every use throws. */
	const downDb = new Proxy({} as Db, {
		get: () => {
			throw new Error('database is down');
		}
	});
	function spoolEnv() {
		const config = { ...h.config, dataDir: mkdtempSync(path.join(tmpdir(), 'switchboard-spool-')) };
		const replay = (db: Db): ReplaySpoolServices => ({ config, db, hot: h.hot, jobs: h.jobs, adapters: h.adapters });
		return { fallback: env({ config, db: downDb } as Partial<FallbackEnv>), replay, dir: spoolDir(config) };
	}
	function postTo(target: FallbackEnv, pathname: string, params: TwilioParams) {
		const { request, url } = signedRequest(h.adapters.telephony, { path: pathname, params, publicBaseUrl: PUBLIC_BASE_URL });
		return (pathname === FALLBACK_PATHS.voice ? voiceFallbackWebhook : smsFallbackWebhook)(target, request, url);
	}

	it('archives a STOP spooled while the database was down exactly once, however often it is replayed', async () => {
		const { fallback, replay, dir } = spoolEnv();
		const sid = `SM${'5e'.repeat(16)}`;
		const phone = '+12125550911';
		const res = await postTo(fallback, FALLBACK_PATHS.sms, { ...smsFailure, MessageSid: sid, From: phone, Body: 'STOP' });
		expect(res.status).toBe(200);
		expect(await res.text()).toBe(`${XML}<Response/>`);
		const files = readdirSync(dir);
		expect(files).toEqual([`sms.inbound.${sid}.json`]);
		copyFileSync(path.join(dir, files[0]!), path.join(dir, 'copy.keep'));

		// Still down: nothing replayed, the file stays.
		expect(await replaySpool(replay(downDb))).toEqual({ replayed: 0, left: 1 });
		expect(readdirSync(dir)).toContain(files[0]);

		expect(await replaySpool(replay(h.testDb.db))).toEqual({ replayed: 1, left: 0 });
		expect(readdirSync(dir)).toEqual(['copy.keep']);
		const archived = async () => ({
			messages: (await h.testDb.db.select().from(smsMessages).where(eq(smsMessages.messageSid, sid))).map((m) => m.body),
			ledger: (await h.testDb.db.select().from(consentLedger).where(eq(consentLedger.phone, phone))).map((e) => e.action)
		});
		expect(await archived()).toEqual({ messages: ['STOP'], ledger: ['opt_out'] });

		// The same delivery replayed again (a crash before the file was removed): still once.
		copyFileSync(path.join(dir, 'copy.keep'), path.join(dir, files[0]!));
		expect(await replaySpool(replay(h.testDb.db))).toEqual({ replayed: 1, left: 0 });
		expect(await archived()).toEqual({ messages: ['STOP'], ledger: ['opt_out'] });
	});

	it('archives a call spooled while the database was down once, without routing it', async () => {
		const { fallback, replay, dir } = spoolEnv();
		const callSid = newCallSid();
		expect((await postTo(fallback, FALLBACK_PATHS.voice, voiceFailure(callSid))).status).toBe(200);
		const [file] = readdirSync(dir);
		expect(file).toBe(`voice.incoming.${callSid}.json`);
		copyFileSync(path.join(dir, file!), path.join(dir, 'copy.keep'));

		expect(await replaySpool(replay(h.testDb.db))).toEqual({ replayed: 1, left: 0 });
		copyFileSync(path.join(dir, 'copy.keep'), path.join(dir, file!));
		expect(await replaySpool(replay(h.testDb.db))).toEqual({ replayed: 1, left: 0 });

		const rows = await h.testDb.db.select().from(calls).where(eq(calls.callSid, callSid));
		expect(rows).toMatchObject([{ direction: 'inbound', toE164: '+14155550100', outcome: 'abandoned', queue: expect.any(String) }]);
		const events = await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, rows[0]!.id));
		expect(events.map((e) => e.kind).sort()).toEqual(['fallback', 'received']);
		expect(events.find((e) => e.kind === 'fallback')?.payload).toEqual({ errorCode: '11200' });
	});
});
