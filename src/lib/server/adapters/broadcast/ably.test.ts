import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../errors';
import { sendJson, startFakeHttpServer, type FakeHttpServer } from '../test-http-server';
import { setLogLevel } from '../../log';
import { AblyBroadcast, ablyHostOptions } from './ably';
import { broadcastContract } from './contract';
import { startFakeAbly } from './test-fake-ably';

const KEY = 'appid.keyid:keysecret';

// The contract makes one subscriber throw on purpose; its error line is expected.
setLogLevel('silent');

broadcastContract(
	'ably client against a fake Ably',
	async () => {
		const server = await startFakeAbly();
		return {
			port: new AblyBroadcast({ apiKey: KEY, restHost: server.url }, { baseDelayMs: 10, requestTimeoutMs: 400 }),
			vendor: { faults: server.faults, publishedIds: server.publishedIds },
			close: () => server.close()
		};
	},
	{ vendorFaults: true }
);

describe('AblyBroadcast publish against a fake Ably REST endpoint', () => {
	let server: FakeHttpServer;
	beforeAll(async () => {
		server = await startFakeHttpServer((req, res) => {
			if (req.path.includes('forbidden')) {
				return sendJson(res, 401, { error: { code: 40160, statusCode: 401, message: 'Channel denied access based on given capability' } });
			}
			return sendJson(res, 201, { channel: 'x', messageId: 'abc' });
		});
	});
	afterAll(() => server.close());

	const adapter = () => new AblyBroadcast({ apiKey: KEY, restHost: server.url });

	it('POSTs the message as JSON to /channels/{name}/messages with Basic auth', async () => {
		server.requests.length = 0;
		const ably = adapter();
		await ably.publish('agents:alice', 'recording.ready', { callSid: 'CA1', at: new Date('2025-01-01T00:00:00Z') });
		await ably.close();
		expect(server.requests).toHaveLength(1);
		const req = server.requests[0]!;
		expect(req.method).toBe('POST');
		expect(req.path).toBe('/channels/agents%3Aalice/messages');
		expect(req.headers.authorization).toBe(`Basic ${Buffer.from(KEY).toString('base64')}`);
		expect(req.headers['content-type']).toContain('application/json');
		const body = req.json();
		const messages = (Array.isArray(body) ? body : [body]) as { name: string; data: string; encoding: string }[];
		expect(messages).toHaveLength(1);
		// Ably's JSON wire format carries object data as a JSON string tagged encoding=json.
		expect(messages[0]).toMatchObject({ name: 'recording.ready', encoding: 'json' });
		expect(JSON.parse(messages[0]!.data)).toEqual({ callSid: 'CA1', at: '2025-01-01T00:00:00.000Z' });
	});

	it('maps an Ably error to an AdapterError with its code', async () => {
		const err = await adapter()
			.publish('forbidden', 'x', {})
			.catch((e: unknown) => e);
		expect(err).toBeInstanceOf(AdapterError);
		expect(err).toMatchObject({ port: 'broadcast', adapter: 'ably', status: 401, vendorCode: 40160, retryable: false });
	});

	it('refuses bad input before any request', async () => {
		server.requests.length = 0;
		await expect(adapter().publish('[x', 'n', {})).rejects.toMatchObject({ code: 'INVALID_CHANNEL' });
		expect(server.requests).toHaveLength(0);
	});

	it('reads ABLY_REST_HOST as a host or a URL', () => {
		expect(ablyHostOptions(undefined)).toEqual({});
		expect(ablyHostOptions('eu.rest.ably.io')).toEqual({ endpoint: 'eu.rest.ably.io' });
		expect(ablyHostOptions('http://127.0.0.1:8080')).toEqual({ endpoint: '127.0.0.1', tls: false, port: 8080 });
		expect(ablyHostOptions('https://ably.internal')).toEqual({ endpoint: 'ably.internal', tls: true, tlsPort: 443 });
	});
});
