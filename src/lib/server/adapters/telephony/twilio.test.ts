import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../errors';
import { sendJson, startFakeHttpServer, type FakeHttpServer } from '../test-http-server';
import { telephonyContract } from './contract';
import { LocalCarrier } from './carrier/local-carrier';
import { handleTwilioRest } from './carrier/rest';
import { TwilioTelephony, type TwilioTelephonyConfig } from './twilio';

const ACCOUNT = `AC${'b'.repeat(32)}`;
const settings = (apiBaseUrl: string): TwilioTelephonyConfig => ({
	accountSid: ACCOUNT,
	authToken: 'twilio-auth-token',
	apiKeySid: `SK${'c'.repeat(32)}`,
	apiKeySecret: 'key-secret',
	twimlAppSid: `AP${'d'.repeat(32)}`,
	apiBaseUrl
});
const IMAGES = { maxBytes: 1000, accept: (t: string) => t.startsWith('image/'), acceptedDescription: 'images' };
const BASIC = `Basic ${Buffer.from(`SK${'c'.repeat(32)}:key-secret`).toString('base64')}`;

/** Twilio's REST paths served by the local carrier: the official client must work against it. */
async function fakeTwilio(prefix = ''): Promise<FakeHttpServer & { carrier: LocalCarrier }> {
	const state: { carrier?: LocalCarrier } = {};
	const server = await startFakeHttpServer((req, res) => {
		const r = handleTwilioRest(
			state.carrier!,
			{ method: req.method, path: req.path.slice(prefix.length), form: req.method === 'GET' ? req.query : req.form(), authorization: req.headers.authorization },
			{ authorize: (user, pass) => user === `SK${'c'.repeat(32)}` && pass === 'key-secret' }
		);
		res.writeHead(r.status, { 'content-type': r.contentType });
		res.end(r.body);
	});
	const carrier = new LocalCarrier({ accountSid: ACCOUNT, authToken: 'twilio-auth-token', apiBaseUrl: server.url + prefix });
	state.carrier = carrier;
	return Object.assign(server, { carrier });
}

telephonyContract('twilio client against a fake Twilio REST API', async () => {
	const server = await fakeTwilio('/carrier');
	return { port: new TwilioTelephony(settings(`${server.url}/carrier`)), close: () => server.close() };
});

describe('TwilioTelephony requests', () => {
	let server: Awaited<ReturnType<typeof fakeTwilio>>;
	let port: TwilioTelephony;
	beforeAll(async () => {
		server = await fakeTwilio();
		port = new TwilioTelephony(settings(server.url));
	});
	afterAll(() => server.close());

	it('creates a message with the API key, form fields and repeated MediaUrl', async () => {
		server.requests.length = 0;
		const ref = await port.sendMessage({
			from: '+15005550006',
			to: '+14155550123',
			body: 'See attached',
			mediaUrls: ['https://cdn.example.com/1.jpg', 'https://cdn.example.com/2.jpg'],
			statusCallback: 'https://app.example.com/webhooks/twilio/sms-status'
		});
		expect(ref.sid).toMatch(/^MM[0-9a-f]{32}$/);
		const req = server.requests[0]!;
		expect(req.method).toBe('POST');
		expect(req.path).toBe(`/2010-04-01/Accounts/${ACCOUNT}/Messages.json`);
		expect(req.headers.authorization).toBe(BASIC);
		expect(req.headers['content-type']).toContain('application/x-www-form-urlencoded');
		const form = req.form();
		expect(Object.fromEntries(form)).toMatchObject({ From: '+15005550006', To: '+14155550123', Body: 'See attached', StatusCallback: 'https://app.example.com/webhooks/twilio/sms-status' });
		expect(form.getAll('MediaUrl')).toEqual(['https://cdn.example.com/1.jpg', 'https://cdn.example.com/2.jpg']);
	});

	it('sends from a Messaging Service SID as MessagingServiceSid', async () => {
		server.requests.length = 0;
		await port.sendMessage({ from: `MG${'e'.repeat(32)}`, to: '+14155550123', body: 'hi' }).catch(() => undefined);
		expect(server.requests[0]!.form().get('MessagingServiceSid')).toBe(`MG${'e'.repeat(32)}`);
		expect(server.requests[0]!.form().has('From')).toBe(false);
	});

	it('creates a call with URL, status callback events, record and timeout', async () => {
		server.requests.length = 0;
		await port.createCall({
			from: '+15005550006',
			to: 'client:agent_alice',
			url: 'https://app.example.com/voice/outbound',
			method: 'POST',
			statusCallback: 'https://app.example.com/voice/status',
			statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
			record: true,
			timeoutSeconds: 20
		});
		const req = server.requests[0]!;
		expect(`${req.method} ${req.path}`).toBe(`POST /2010-04-01/Accounts/${ACCOUNT}/Calls.json`);
		const form = req.form();
		expect(Object.fromEntries(form)).toMatchObject({
			From: '+15005550006',
			To: 'client:agent_alice',
			Url: 'https://app.example.com/voice/outbound',
			Method: 'POST',
			StatusCallback: 'https://app.example.com/voice/status',
			StatusCallbackMethod: 'POST',
			Record: 'true',
			Timeout: '20'
		});
		expect(form.getAll('StatusCallbackEvent')).toEqual(['initiated', 'ringing', 'answered', 'completed']);
		expect(form.has('Twiml')).toBe(false);
	});

	it('redirects and ends calls through POST Calls/{sid}.json', async () => {
		const { sid } = await port.createCall({ from: '+15005550006', to: '+14155550123', twiml: '<Response><Pause/></Response>' });
		server.requests.length = 0;
		await port.updateCall(sid, { twiml: '<Response><Say>Transferring</Say></Response>' });
		await port.updateCall(sid, { status: 'completed' });
		expect(server.requests.map((r) => `${r.method} ${r.path} ${r.text()}`)).toEqual([
			`POST /2010-04-01/Accounts/${ACCOUNT}/Calls/${sid}.json Twiml=${encodeURIComponent('<Response><Say>Transferring</Say></Response>')}`,
			`POST /2010-04-01/Accounts/${ACCOUNT}/Calls/${sid}.json Status=completed`
		]);
	});

	it("maps Twilio's JSON resource into the port's record", async () => {
		const canned = await startFakeHttpServer((_req, res) =>
			sendJson(res, 200, {
				account_sid: ACCOUNT,
				api_version: '2010-04-01',
				body: 'Hello',
				date_created: 'Thu, 24 Aug 2023 05:01:45 +0000',
				date_sent: 'Thu, 24 Aug 2023 05:01:46 +0000',
				date_updated: 'Thu, 24 Aug 2023 05:01:46 +0000',
				direction: 'outbound-api',
				error_code: 30003,
				error_message: 'Unreachable destination handset',
				from: '+14155552345',
				messaging_service_sid: null,
				num_media: '1',
				num_segments: '2',
				price: '-0.0075',
				price_unit: 'USD',
				sid: `SM${'1'.repeat(32)}`,
				status: 'undelivered',
				subresource_uris: {},
				to: '+14155552346',
				uri: '/x.json'
			})
		);
		try {
			const record = await new TwilioTelephony(settings(canned.url)).fetchMessage(`SM${'1'.repeat(32)}`);
			expect(record).toEqual({
				sid: `SM${'1'.repeat(32)}`,
				status: 'undelivered',
				accountSid: ACCOUNT,
				from: '+14155552345',
				to: '+14155552346',
				body: 'Hello',
				direction: 'outbound-api',
				numMedia: 1,
				numSegments: 2,
				errorCode: 30003,
				errorMessage: 'Unreachable destination handset',
				dateCreated: new Date('2023-08-24T05:01:45Z'),
				dateSent: new Date('2023-08-24T05:01:46Z')
			});
		} finally {
			await canned.close();
		}
	});

	it('turns a Twilio error body into an AdapterError with its code, and 429 into a retryable one', async () => {
		const failing = await startFakeHttpServer((req, res) =>
			req.path.endsWith('Messages.json')
				? sendJson(res, 400, { code: 21610, message: 'Attempt to send to unsubscribed recipient', more_info: '', status: 400 })
				: sendJson(res, 429, { code: 20429, message: 'Too Many Requests', more_info: '', status: 429 })
		);
		try {
			const p = new TwilioTelephony(settings(failing.url));
			const refused = await p.sendMessage({ from: '+15005550006', to: '+14155550123', body: 'x' }).catch((e: unknown) => e);
			expect(refused).toBeInstanceOf(AdapterError);
			expect(refused).toMatchObject({ status: 400, vendorCode: 21610, retryable: false, port: 'telephony', adapter: 'twilio' });
			expect((refused as Error).message).toContain('unsubscribed recipient');
			await expect(p.fetchCall(`CA${'2'.repeat(32)}`)).rejects.toMatchObject({ status: 429, vendorCode: 20429, retryable: true });
		} finally {
			await failing.close();
		}
	});

	it('reports an unreachable API as a retryable AdapterError', async () => {
		const gone = await startFakeHttpServer(() => undefined);
		const url = gone.url;
		await gone.close();
		await expect(new TwilioTelephony(settings(url)).fetchCall(`CA${'2'.repeat(32)}`)).rejects.toMatchObject({ retryable: true, adapter: 'twilio' });
	});

	it('downloads recording media with Basic auth, rewriting api.twilio.com to the base URL', async () => {
		const rec = server.carrier.addRecording({ body: new Uint8Array([1, 2, 3]), contentType: 'audio/mpeg' });
		server.requests.length = 0;
		const twilioUrl = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/${rec.sid}.mp3`;
		expect(await port.fetchRecording(twilioUrl)).toEqual({ body: new Uint8Array([1, 2, 3]), contentType: 'audio/mpeg' });
		expect(server.requests[0]).toMatchObject({ method: 'GET', path: `/2010-04-01/Accounts/${ACCOUNT}/Recordings/${rec.sid}.mp3` });
		expect(server.requests[0]!.headers.authorization).toBe(BASIC);
		await expect(port.fetchRecording(`${server.url}/2010-04-01/Accounts/AC${'0'.repeat(32)}/Recordings/${rec.sid}`)).rejects.toMatchObject({
			retryable: false
		});
	});
});

describe('TwilioTelephony recordings follow the media policy', () => {
	const REC = `/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE${'1'.repeat(32)}.wav`;
	let server: FakeHttpServer;
	beforeAll(async () => {
		server = await startFakeHttpServer((req, res) => {
			if (req.path === REC) {
				res.writeHead(302, { location: '/storage/rec.wav' });
				return void res.end();
			}
			if (req.path === '/storage/rec.wav') {
				res.writeHead(302, { location: 'https://evil.example.com/rec.wav' });
				return void res.end();
			}
			if (req.path === `${REC}.big`) {
				// No Content-Length: the cap must hold while reading.
				res.writeHead(200, { 'content-type': 'audio/x-wav' });
				res.write(new Uint8Array(600));
				return void res.end(new Uint8Array(600));
			}
			if (req.path === `${REC}.huge`) {
				res.writeHead(200, { 'content-type': 'audio/x-wav', 'content-length': String(600 * 1024 * 1024) });
				return void res.end();
			}
			res.writeHead(404);
			res.end();
		});
	});
	afterAll(() => server.close());

	it('checks the host on every redirect and never sends credentials or a request to a foreign host', async () => {
		const port = new TwilioTelephony(settings(server.url));
		server.requests.length = 0;
		const err = await port.fetchRecording(`https://api.twilio.com${REC}`).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({
			retryable: false,
			message: `The carrier redirected the media to evil.example.com, which is not the carrier's media host; recordings are fetched only from ${server.url}.`
		});
		expect(server.requests.map((r) => r.path)).toEqual([REC, '/storage/rec.wav']);
		expect(server.requests[0]!.headers.authorization).toBe(BASIC);
	});

	it('refuses a body over the cap, declared or streamed', async () => {
		const port = new TwilioTelephony(settings(server.url));
		await expect(port.fetchRecording(`${server.url}${REC}.big`, { maxBytes: 1000, accept: () => true, acceptedDescription: 'audio', label: 'recordings' })).rejects.toMatchObject({
			retryable: false,
			message: 'The file is larger than the 0 MB limit for recordings.'
		});
		await expect(port.fetchRecording(`${server.url}${REC}.huge`)).rejects.toMatchObject({
			retryable: false,
			message: expect.stringMatching(/^The file is larger than the 536\.9 MB limit for recordings \(629,145,600 bytes\)\.$/)
		});
	});
});

describe('TwilioTelephony MMS media', () => {
	let server: Awaited<ReturnType<typeof fakeTwilio>>;
	beforeAll(async () => {
		server = await fakeTwilio();
	});
	afterAll(() => server.close());

	it("downloads a phone's MMS media with the API key, rewriting api.twilio.com to the base URL", async () => {
		const port = new TwilioTelephony(settings(server.url));
		const m = server.carrier.receiveMessage({ from: '+14155550123', to: '+15005550006', body: '', attachments: [{ body: new Uint8Array([7, 8]), contentType: 'image/gif' }] });
		const served = m.mediaUrls[0] ?? '';
		server.requests.length = 0;
		expect(await port.fetchMedia(served.replace(server.url, 'https://api.twilio.com'), IMAGES)).toEqual({ body: new Uint8Array([7, 8]), contentType: 'image/gif' });
		expect(server.requests).toHaveLength(1);
		expect(server.requests[0]!.headers.authorization).toBe(BASIC);
		// The wrong credentials get Twilio's 401, which is not worth retrying.
		const wrong = new TwilioTelephony({ ...settings(server.url), apiKeySecret: 'nope' });
		await expect(wrong.fetchMedia(served, IMAGES)).rejects.toMatchObject({ status: 401, retryable: false });
	});

	it("without an override, asks only Twilio's media hosts over HTTPS, before any request", async () => {
		const real = new TwilioTelephony({ ...settings('http://unused'), apiBaseUrl: undefined });
		for (const url of [
			'https://cdn.example.com/1.jpg',
			`http://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/MM1/Media/ME1`,
			`https://api.twilio.com:8443/2010-04-01/Accounts/${ACCOUNT}/Messages/MM1/Media/ME1`,
			'https://media.twiliocdn.com.evil.example/x.jpg',
			'https://twiliocdn.com/x.jpg',
			'not a url'
		]) {
			await expect(real.fetchMedia(url, IMAGES), url).rejects.toMatchObject({ retryable: false, adapter: 'twilio' });
		}
		await expect(real.fetchMedia('https://cdn.example.com/1.jpg', IMAGES)).rejects.toThrow(
			"The media URL points at cdn.example.com, which is not the carrier's media host; MMS media is fetched only from api.twilio.com and *.twiliocdn.com over HTTPS."
		);
	});
});

describe('TwilioTelephony without a base URL override', () => {
	it("accepts recording URLs only on Twilio's API hosts", async () => {
		const real = new TwilioTelephony({ ...settings('http://unused'), apiBaseUrl: undefined });
		for (const url of [
			`https://api.twilio.com.evil.example/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE1`,
			`http://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE1`,
			`https://api.twilio.com/2010-04-01/Accounts/AC${'0'.repeat(32)}/Recordings/RE1`
		]) {
			await expect(real.fetchRecording(url), url).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('Refusing') });
		}
	});
});

describe('TwilioTelephony MMS media on unsecured accounts', () => {
	const MEDIA = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/MM${'1'.repeat(32)}/Media/ME${'2'.repeat(32)}`;
	const S3 = `https://s3-external-1.amazonaws.com/media.twiliocdn.com/${ACCOUNT}/0123456789abcdef`;

	function stubFetch(seen: { url: string; authorization: string | null }[]): typeof fetch {
		return (input, init) => {
			const url = input instanceof Request ? input.url : input instanceof URL ? input.href : input;
			seen.push({ url, authorization: new Headers(init?.headers).get('authorization') });
			if (url === MEDIA) return Promise.resolve(new Response(null, { status: 307, headers: { location: S3 } }));
			if (url === S3) return Promise.resolve(new Response(new Uint8Array([1, 2]), { headers: { 'content-type': 'image/png' } }));
			return Promise.resolve(new Response('no', { status: 404 }));
		};
	}

	it('follows the redirect to s3-external-1.amazonaws.com without sending credentials there', async () => {
		const seen: { url: string; authorization: string | null }[] = [];
		const real = new TwilioTelephony({ ...settings('http://unused'), apiBaseUrl: undefined }, { fetch: stubFetch(seen) });
		expect(await real.fetchMedia(MEDIA, IMAGES)).toEqual({ body: new Uint8Array([1, 2]), contentType: 'image/png' });
		expect(seen).toEqual([
			{ url: MEDIA, authorization: BASIC },
			{ url: S3, authorization: null }
		]);
	});

	it('does not accept the storage host as the MediaUrl itself', async () => {
		const seen: { url: string; authorization: string | null }[] = [];
		const real = new TwilioTelephony({ ...settings('http://unused'), apiBaseUrl: undefined }, { fetch: stubFetch(seen) });
		await expect(real.fetchMedia(S3, IMAGES)).rejects.toMatchObject({ retryable: false });
		expect(seen).toEqual([]);
	});
});

describe('TwilioTelephony deletes the carrier copies', () => {
	let server: Awaited<ReturnType<typeof fakeTwilio>>;
	let port: TwilioTelephony;
	beforeAll(async () => {
		server = await fakeTwilio();
		port = new TwilioTelephony(settings(server.url));
	});
	afterAll(() => server.close());

	it('deletes a recording with DELETE Recordings/{sid}.json (204), and a second delete is not an error', async () => {
		const rec = server.carrier.addRecording({ body: new Uint8Array([1]), contentType: 'audio/x-wav' });
		server.requests.length = 0;
		await port.deleteRecording(rec.sid);
		expect(server.requests[0]).toMatchObject({ method: 'DELETE', path: `/2010-04-01/Accounts/${ACCOUNT}/Recordings/${rec.sid}.json` });
		expect(server.carrier.recordings.has(rec.sid)).toBe(false);
		await expect(port.deleteRecording(rec.sid)).resolves.toBeUndefined();
		await expect(port.deleteRecording('RE1')).rejects.toMatchObject({ retryable: false });
	});

	it('deletes an MMS media file named by its MediaUrl, and refuses another account', async () => {
		const m = server.carrier.receiveMessage({ from: '+14155550123', to: '+15005550006', body: '', attachments: [{ body: new Uint8Array([7]), contentType: 'image/gif' }] });
		const url = (m.mediaUrls[0] ?? '').replace(server.url, 'https://api.twilio.com');
		server.requests.length = 0;
		await port.deleteMedia(url);
		expect(server.requests[0]).toMatchObject({ method: 'DELETE', path: `${new URL(url).pathname}.json` });
		expect(server.carrier.media.size).toBe(0);
		await expect(port.fetchMedia(url, IMAGES)).rejects.toMatchObject({ status: 404 });
		await expect(port.deleteMedia(url)).resolves.toBeUndefined();
		await expect(port.deleteMedia(url.replace(ACCOUNT, `AC${'0'.repeat(32)}`))).rejects.toMatchObject({ retryable: false });
		await expect(port.deleteMedia('not a url')).rejects.toMatchObject({ retryable: false });
	});
});
