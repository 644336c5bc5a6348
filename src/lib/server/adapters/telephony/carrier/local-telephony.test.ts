import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../env';
import { AdapterError } from '../../errors';
import { carrierEngineOf, createTelephony } from '..';
import { LocalCarrier } from './local-carrier';
import { serveTwilioRest } from './rest';
import { inProcessFetch, LocalTelephony } from './local-telephony';
import { TwilioTelephony } from '../twilio';

const ACCOUNT = `AC${'e'.repeat(32)}`;
const TOKEN = 'in-process-token';
/** Nothing listens here: a request that left the process would fail to connect. */
const NOWHERE = 'http://127.0.0.1:9';

interface Seen {
	method: string;
	path: string;
	authorization: string | null;
	contentType: string | null;
	body: string;
	query: string;
}

/** A carrier whose REST handler records what the twilio client sent before answering it. */
function recordingCarrier() {
	const carrier = new LocalCarrier({ accountSid: ACCOUNT, authToken: TOKEN, apiBaseUrl: `${NOWHERE}/carrier` });
	const seen: Seen[] = [];
	const port = new LocalTelephony(carrier, async (request, p) => {
		const url = new URL(request.url);
		seen.push({
			method: request.method,
			path: p,
			authorization: request.headers.get('authorization'),
			contentType: request.headers.get('content-type'),
			body: await request.clone().text(),
			query: url.search
		});
		return serveTwilioRest(carrier, request, p);
	});
	return { carrier, port, seen };
}

describe('LocalTelephony: the production adapter over the carrier, in-process', () => {
	it('is the TwilioTelephony class, and its requests are the twilio client’s own, answered without a socket', async () => {
		const { carrier, port, seen } = recordingCarrier();
		expect(port).toBeInstanceOf(TwilioTelephony);
		expect(port.kind).toBe('local');
		const sent = await port.sendMessage({
			from: '+14155550100',
			to: '+12125550123',
			body: 'Your order shipped',
			mediaUrls: ['https://cdn.example.com/a.jpg', 'https://cdn.example.com/b.jpg'],
			statusCallback: 'https://switchboard.example.com/webhooks/twilio/sms/status'
		});
		expect(sent.sid).toMatch(/^MM[0-9a-f]{32}$/);
		expect(carrier.messages.get(sent.sid)).toMatchObject({ body: 'Your order shipped', mediaUrls: ['https://cdn.example.com/a.jpg', 'https://cdn.example.com/b.jpg'] });
		const [post] = seen;
		expect(post).toMatchObject({ method: 'POST', path: `/2010-04-01/Accounts/${ACCOUNT}/Messages.json`, contentType: 'application/x-www-form-urlencoded' });
		// The API key, as production authenticates: the carrier's key SID with the local auth token.
		expect(post!.authorization).toBe(`Basic ${Buffer.from(`${carrier.tokenKeySid}:${TOKEN}`).toString('base64')}`);
		// twilio's own form encoding: capitalised names, a repeated MediaUrl.
		const form = new URLSearchParams(post!.body);
		expect(form.getAll('MediaUrl')).toEqual(['https://cdn.example.com/a.jpg', 'https://cdn.example.com/b.jpg']);
		expect(Object.fromEntries([...form].filter(([k]) => k !== 'MediaUrl'))).toEqual({
			From: '+14155550100',
			To: '+12125550123',
			Body: 'Your order shipped',
			StatusCallback: 'https://switchboard.example.com/webhooks/twilio/sms/status'
		});

		const fetched = await port.fetchMessage(sent.sid);
		expect(fetched).toMatchObject({ sid: sent.sid, status: 'queued', numMedia: 2, direction: 'outbound-api' });
		// The client parsed the RFC 2822 dates into Dates, as it does from api.twilio.com.
		expect(fetched.dateCreated).toBeInstanceOf(Date);
		expect(seen[1]).toMatchObject({ method: 'GET', path: `/2010-04-01/Accounts/${ACCOUNT}/Messages/${sent.sid}.json`, body: '' });
	});

	it('places, redirects and reads calls, with statusCallbackEvent repeated as twilio encodes it', async () => {
		const { carrier, port, seen } = recordingCarrier();
		const call = await port.createCall({
			from: '+14155550100',
			to: 'client:agent_alice',
			twiml: '<Response><Say>Hello</Say></Response>',
			statusCallback: 'https://switchboard.example.com/webhooks/twilio/voice/status',
			statusCallbackEvent: ['initiated', 'answered', 'completed'],
			timeoutSeconds: 25
		});
		expect(new URLSearchParams(seen[0]!.body).getAll('StatusCallbackEvent')).toEqual(['initiated', 'answered', 'completed']);
		expect(carrier.fetchCall(call.sid)).toMatchObject({ statusCallbackEvent: ['initiated', 'answered', 'completed'], timeoutSeconds: 25, instructions: { twiml: '<Response><Say>Hello</Say></Response>' } });
		await port.updateCall(call.sid, { url: 'https://switchboard.example.com/next', method: 'GET' });
		expect(carrier.fetchCall(call.sid).instructions).toEqual({ url: 'https://switchboard.example.com/next', method: 'GET' });
		expect(await port.updateCall(call.sid, { status: 'completed' })).toEqual({ sid: call.sid, status: 'completed' });
		expect(await port.fetchCall(call.sid)).toMatchObject({ status: 'completed', to: 'client:agent_alice', direction: 'outbound-api' });
	});

	it("turns the carrier's Twilio error bodies into AdapterErrors with Twilio's codes", async () => {
		const { carrier, port } = recordingCarrier();
		carrier.optOuts.add('+14155550100|+12125550123');
		const refused = await port.sendMessage({ from: '+14155550100', to: '+12125550123', body: 'Deal!' }).catch((e: unknown) => e);
		expect(refused).toBeInstanceOf(AdapterError);
		expect(refused).toMatchObject({ status: 400, vendorCode: 21610, retryable: false, adapter: 'local' });
		expect((refused as Error).message).toMatch(/^The local carrier refused to send the message: Attempt to send to unsubscribed recipient/);
		const missing = await port.fetchCall(`CA${'0'.repeat(32)}`).catch((e: unknown) => e);
		expect(missing).toMatchObject({ notFound: true, vendorCode: 20404 });
	});

	it('downloads recordings in-process, and sends the credentials nowhere else', async () => {
		const { carrier, port } = recordingCarrier();
		const rec = carrier.addRecording({ body: new Uint8Array([82, 73, 70, 70, 1, 2]), contentType: 'audio/x-wav' });
		expect(await port.fetchRecording(rec.url)).toEqual({ body: new Uint8Array([82, 73, 70, 70, 1, 2]), contentType: 'audio/x-wav' });
		await expect(port.fetchRecording('https://evil.example.com/2010-04-01/Recordings/RE1')).rejects.toThrow(/Refusing to send Twilio credentials/);
		// Only URLs below the carrier's base are answered, in-process; anything else is refused, never sent.
		const served: string[] = [];
		const fetchIt = inProcessFetch(`${NOWHERE}/carrier`, (_request, p) => (served.push(p), Promise.resolve(new Response('carrier'))));
		expect(await (await fetchIt(`${NOWHERE}/carrier/2010-04-01/Accounts.json`)).text()).toBe('carrier');
		await expect(fetchIt(`${NOWHERE}/carrierX/cat.png`)).rejects.toThrow(`LocalTelephony refused a request to ${NOWHERE}/carrierX/cat.png: in local mode only the local carrier at ${NOWHERE}/carrier is reachable.`);
		await expect(fetchIt('https://api.twilio.com/2010-04-01/Accounts.json?x=1')).rejects.toThrow(/refused a request to https:\/\/api\.twilio\.com\/2010-04-01\/Accounts\.json:/);
		expect(served).toEqual(['/2010-04-01/Accounts.json']);
	});

	it('works in local mode before the app listens: createTelephony answers through the carrier engine’s handler', async () => {
		const config = parseConfig({
			TELEPHONY: 'local',
			TWILIO_ACCOUNT_SID: ACCOUNT,
			TWILIO_AUTH_TOKEN: TOKEN,
			AUTH_SECRET: 'in-process-secret-at-least-32-characters',
			PUBLIC_BASE_URL: NOWHERE,
			DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-local-telephony-'))
		});
		const port = createTelephony(config);
		expect(port).toBeInstanceOf(LocalTelephony);
		const engine = carrierEngineOf(port)!;
		const sent = await port.sendMessage({ from: '+14155550100', to: '+12125550123', body: 'Before listen' });
		expect(engine.carrier.messages.get(sent.sid)?.body).toBe('Before listen');
		expect((await port.fetchMessage(sent.sid)).body).toBe('Before listen');
		// A token the production code path minted registers a softphone with the carrier engine.
		const token = await port.createClientToken({ identity: 'agent_alice', ttlSeconds: 600 });
		expect(engine.deviceFromToken(token.token)?.identity).toBe('agent_alice');
	});
});
