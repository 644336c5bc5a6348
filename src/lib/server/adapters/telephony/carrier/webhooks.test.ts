import twilio from 'twilio';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../../log';
import { startFakeHttpServer, type FakeHttpServer } from '../../test-http-server';
import { signWebhook } from '../shared';
import { VirtualClock } from './clock';
import { WebhookDispatcher } from './webhooks';

const TOKEN = 'dispatcher-token';

function dispatcher(timeoutMs = 1000) {
	return new WebhookDispatcher({ sign: (url, params) => signWebhook(TOKEN, url, params), clock: new VirtualClock(), timeoutMs });
}

describe('WebhookDispatcher', () => {
	let server: FakeHttpServer | undefined;
	beforeAll(() => setLogLevel('silent'));
	afterEach(async () => {
		await server?.close();
		server = undefined;
	});

	it('POSTs form-encoded params signed over the full URL, with an idempotency token', async () => {
		server = await startFakeHttpServer((_req, res) => void res.end('<Response/>'));
		const d = dispatcher();
		const url = `${server.url}/webhooks/twilio/voice?tenant=1`;
		const result = await d.request({ kind: 'voice', url, params: { CallSid: 'CA1', From: '+14155550100', Digits: '1#' } });
		expect(result.outcome).toMatchObject({ ok: true, status: 200, body: '<Response/>' });
		const req = server.requests[0]!;
		expect(req.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
		expect(req.headers['i-twilio-idempotency-token']).toMatch(/\S{16,}/);
		const params = Object.fromEntries(req.form());
		expect(params).toEqual({ CallSid: 'CA1', From: '+14155550100', Digits: '1#' });
		expect(twilio.validateRequest(TOKEN, String(req.headers['x-twilio-signature']), url, params)).toBe(true);
	});

	it('puts GET params in the query string and signs that URL', async () => {
		server = await startFakeHttpServer((_req, res) => void res.end('<Response/>'));
		const d = dispatcher();
		await d.request({ kind: 'redirect', url: `${server.url}/next`, method: 'GET', params: { CallSid: 'CA1', To: '+1 555' } });
		const req = server.requests[0]!;
		expect(req.method).toBe('GET');
		expect(req.query.get('To')).toBe('+1 555');
		const full = `${server.url}${req.path}?${req.query.toString()}`;
		expect(twilio.validateRequest(TOKEN, String(req.headers['x-twilio-signature']), full, {})).toBe(true);
	});

	it('retries once on a connect failure, with error 11205 in the debugger', async () => {
		const closed = await startFakeHttpServer(() => undefined);
		const url = `${closed.url}/webhooks/twilio/voice`;
		await closed.close();
		const d = dispatcher();
		const result = await d.request({ kind: 'voice', url, params: { CallSid: 'CA1' } });
		expect(result.outcome).toMatchObject({ ok: false, errorCode: 11205 });
		expect(result.delivery.attempts).toHaveLength(2);
		expect(d.alerts.at(-1)).toMatchObject({ code: 11205, url, kind: 'voice' });
	});

	it('repeats the same idempotency token on a retry (rp=5xx override) and does not sign the fragment', async () => {
		let n = 0;
		server = await startFakeHttpServer((_req, res) => {
			res.statusCode = n++ === 0 ? 503 : 200;
			res.end('<Response/>');
		});
		const d = dispatcher();
		const result = await d.request({ kind: 'voice', url: `${server.url}/voice#rc=2&rp=5xx`, params: { CallSid: 'CA1' } });
		expect(result.outcome.ok).toBe(true);
		const [first, second] = server.requests;
		expect(first!.headers['i-twilio-idempotency-token']).toBe(second!.headers['i-twilio-idempotency-token']);
		expect(twilio.validateRequest(TOKEN, String(second!.headers['x-twilio-signature']), `${server.url}/voice`, { CallSid: 'CA1' })).toBe(true);
	});

	it('calls the fallback URL with ErrorCode and ErrorUrl when the primary answers 500 (11217)', async () => {
		server = await startFakeHttpServer((req, res) => {
			res.statusCode = req.path === '/voice' ? 500 : 200;
			res.end('<Response><Say>fallback</Say></Response>');
		});
		const d = dispatcher();
		const url = `${server.url}/voice`;
		const result = await d.request({ kind: 'voice', url, params: { CallSid: 'CA1' }, fallbackUrl: `${server.url}/fallback` });
		expect(result.viaFallback).toBe(true);
		expect(result.outcome.ok).toBe(true);
		const fb = server.requests[1]!;
		expect(fb.path).toBe('/fallback');
		expect(Object.fromEntries(fb.form())).toEqual({ CallSid: 'CA1', ErrorCode: '11217', ErrorUrl: url });
		expect(fb.headers['i-twilio-idempotency-token']).not.toBe(server.requests[0]!.headers['i-twilio-idempotency-token']);
		expect(d.alerts.map((a) => a.code)).toEqual([11217]);
	});

	it('gives up after the time limit with 11200 and then falls back', async () => {
		// /slow never answers (it waits for the dispatcher to hang up), and only its URL carries the
		// short limit (Twilio's `#tt` override), so the fallback's answer does not race a busy machine.
		server = await startFakeHttpServer(async (req, res) => {
			if (req.path === '/slow') await new Promise((r) => res.once('close', r));
			if (!res.destroyed) res.end('<Response/>');
		});
		const d = dispatcher(15_000);
		const result = await d.request({ kind: 'voice', url: `${server.url}/slow#tt=100`, params: {}, fallbackUrl: `${server.url}/fallback` });
		expect(d.alerts[0]).toMatchObject({ code: 11200 });
		expect(result.delivery.params).toMatchObject({ ErrorCode: '11200' });
		expect(result.outcome.ok).toBe(true);
	});

	it('holds, reorders and replays informational callbacks', async () => {
		server = await startFakeHttpServer((_req, res) => void res.end(''));
		const d = dispatcher();
		d.hold();
		const url = `${server.url}/status`;
		d.notify({ kind: 'call-status', url, params: { SequenceNumber: '0' } });
		d.notify({ kind: 'call-status', url, params: { SequenceNumber: '1' } });
		d.notify({ kind: 'call-status', url, params: { SequenceNumber: '2' } });
		expect(d.held).toHaveLength(3);
		expect(server.requests).toHaveLength(0);
		await d.release('reverse');
		expect(server.requests.map((r) => r.form().get('SequenceNumber'))).toEqual(['2', '1', '0']);
		const original = d.deliveries[0]!;
		await d.replay(original.id);
		const replayed = server.requests[3]!;
		expect(replayed.form().get('SequenceNumber')).toBe('0');
		expect(replayed.headers['i-twilio-idempotency-token']).toBe(original.idempotencyToken);
		expect(replayed.headers['x-twilio-signature']).toBe(original.signature);
	});
});
