/**
 * Test helper: a tiny "Switchboard" on 127.0.0.1 that answers the carrier's webhooks from a
 * route table and records every request, plus a carrier engine on a virtual clock wired to it.
 * Test code only.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeHttpServer, type FakeHttpServer, type RecordedRequest } from '../../test-http-server';
import { LocalCarrier } from './local-carrier';
import { VirtualClock } from './clock';
import { CarrierEngine, type CarrierEngineOptions } from './engine';
import { handleCarrierHttp } from './http';

export const ACCOUNT = `AC${'b'.repeat(32)}`;
export const TOKEN = 'carrier-test-token';
export const SWITCHBOARD_NUMBER = '+14155550100';
export const CUSTOMER = '+12125550123';

export type Answer = string | { status: number; body?: string; delayMs?: number };
export type Route = (req: RecordedRequest) => Answer | Promise<Answer>;

export interface Harness {
	server: FakeHttpServer;
	routes: Map<string, Route>;
	engine: CarrierEngine;
	carrier: LocalCarrier;
	clock: VirtualClock;
	/** Serve the carrier's HTTP surface (REST and scenario API) at `<origin>/carrier`, as the app route does; returns that URL. */
	serveCarrier(): Promise<string>;
	/** Requests to `path`, oldest first. */
	hits(path: string): RecordedRequest[];
	close(): Promise<void>;
}

export const twiml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;

export async function startHarness(options: Partial<CarrierEngineOptions> = {}): Promise<Harness> {
	// The number's status callback answers 204 unless a test says otherwise.
	const routes = new Map<string, Route>([['/webhooks/twilio/voice/status', () => ({ status: 204 })]]);
	const server = await startFakeHttpServer(async (req, res: ServerResponse) => {
		const route = routes.get(req.path);
		const answer: Answer = route ? await route(req) : { status: 404, body: 'not found' };
		const a = typeof answer === 'string' ? { status: 200, body: answer } : answer;
		if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
		if (res.destroyed) return;
		res.writeHead(a.status, { 'content-type': 'text/xml' });
		res.end(a.body ?? '');
	});
	const clock = new VirtualClock();
	const carrier = new LocalCarrier({ accountSid: ACCOUNT, authToken: TOKEN, apiBaseUrl: `${server.url}/carrier`, now: () => clock.now() });
	// Twilio's own 15 s limit in real time: virtual time stands still while a webhook is in flight,
	// so a shorter limit only made a loaded machine's slow answer look like a carrier timeout.
	// The account owns SWITCHBOARD_NUMBER, so it may be the caller ID of calls to phones.
	const engine = new CarrierEngine({ carrier, publicBaseUrl: server.url, clock, webhookTimeoutMs: 15_000, ...options, numbers: { [SWITCHBOARD_NUMBER]: {}, ...options.numbers } });
	let rest: Server | undefined;
	const serveCarrier = async () => {
		rest = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				const url = new URL(req.url ?? '/', 'http://127.0.0.1');
				const request = new Request(url, {
					method: req.method,
					headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])),
					body: req.method === 'GET' || req.method === 'DELETE' ? undefined : Buffer.concat(chunks)
				});
				void handleCarrierHttp(engine, request, url.pathname.replace(/^\/carrier/, '')).then(async (response) => {
					res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
					res.end(Buffer.from(await response.arrayBuffer()));
				});
			});
		});
		const listening = rest;
		await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
		return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/carrier`;
	};
	return {
		server,
		routes,
		engine,
		carrier,
		clock,
		serveCarrier,
		hits: (path) => server.requests.filter((r) => r.path === path),
		close: async () => {
			if (rest) {
				const r = rest;
				r.closeAllConnections();
				await new Promise<void>((resolve) => r.close(() => resolve()));
			}
			await server.close();
		}
	};
}
