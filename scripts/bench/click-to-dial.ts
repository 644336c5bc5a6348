/**
 * Click-to-dial, in process on the real clock: what the Call button does after the click (the
 * gate's pre-check, outbound/precheck-dial.ts, then the softphone's Device.connect through the
 * local carrier, which posts the signed Client call over HTTP to the outbound route: hot state's
 * claimDial, the gate's transaction, `<Dial>`) until the customer's phone rings. Baseline, same
 * run, same carrier: the carrier's own leg creation, REST Calls.create over HTTP until that phone
 * rings. The browser's share (the tRPC hop of the pre-check, the Voice SDK) is not in the figure.
 * Each round the customer declines and the agent saves the wrap-up, so the next starts clean.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api } from '$convex/_generated/api';
import { LocalTelephony } from '../../src/lib/server/adapters/telephony';
import { LocalCarrier } from '../../src/lib/server/adapters/telephony/carrier/local-carrier';
import { CarrierEngine } from '../../src/lib/server/adapters/telephony/carrier/engine';
import { handleCarrierHttp } from '../../src/lib/server/adapters/telephony/carrier/http';
import type { CustomerPhone, PhoneCall } from '../../src/lib/server/adapters/telephony/carrier/parties';
import { startFakeHttpServer } from '../../src/lib/server/adapters/test-http-server';
import { agentClientIdentity } from '../../src/lib/server/calls/caller-number';
import { ACCOUNT_SID, createVoiceHarness, HANDLERS, SALES_NUMBER } from '../../src/lib/server/calls/test-harness';
import { VOICE_PATHS } from '../../src/lib/server/calls/voice-paths';
import { SYSTEM_IDENTITY } from '../../src/lib/server/live/hot';
import { precheckDial } from '../../src/lib/server/outbound/precheck-dial';

export interface ClickToDialBench {
	/** Click -> the customer's phone rings. */
	dialMs: number[];
	/** REST Calls.create -> the phone rings. */
	restMs: number[];
}

const CUSTOMER = '+12125550142';
const REST_TARGET = '+12125550143';
const TOKEN = 'voice-harness-token';

/** The next call ringing `phone`, declined as soon as it rings. */
function nextRing(phone: CustomerPhone): Promise<number> {
	return new Promise((resolve) => {
		phone.once('incoming', (call: PhoneCall) => {
			const at = performance.now();
			queueMicrotask(() => call.reject());
			resolve(at);
		});
	});
}

async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
	for (let i = 0; !(await done()); i++) {
		if (i > 2000) throw new Error(`click-to-dial bench: ${what} did not happen in 20 s`);
		await new Promise((r) => setTimeout(r, 10));
	}
}

export async function benchClickToDial(options: { rounds: number }): Promise<ClickToDialBench> {
	const server = await startFakeHttpServer(async (req, res) => {
		const handler = HANDLERS[req.path];
		if (!handler) {
			res.writeHead(404).end();
			return;
		}
		const url = new URL(`${req.path}${req.query.size ? `?${req.query.toString()}` : ''}`, server.url);
		const headers = Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : []));
		const answer = await handler(services, new Request(url, { method: 'POST', headers, body: new Uint8Array(req.body) }), url);
		res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/xml' });
		res.end(Buffer.from(await answer.arrayBuffer()));
	});
	const carrier = new LocalCarrier({ accountSid: ACCOUNT_SID, authToken: TOKEN, apiBaseUrl: `${server.url}/carrier` });
	const engine = new CarrierEngine({ carrier, publicBaseUrl: server.url, applicationVoiceUrl: VOICE_PATHS.outbound, numbers: { [SALES_NUMBER]: {} } });
	const h = await createVoiceHarness({
		telephony: new LocalTelephony(carrier),
		// Midday in New York, and no re-call gap: every round may dial the same customer again.
		env: { OUTBOUND_CLOCK_START: '2026-12-07T17:00:00Z', OUTBOUND_RULES: '{"recallGapMinutes":0}' }
	});
	const services = { ...h.services, config: { ...h.config, publicBaseUrl: server.url } };
	const rest = await serveRest(engine);
	try {
		const agent = await h.addAgent(['sales'], 'Bench Dialer');
		const customerId = await h.addCustomer(CUSTOMER, 'Bench');
		const device = engine.device(agentClientIdentity(agent.subject));
		device.register();
		const phone = engine.phone(CUSTOMER);
		const restPhone = engine.phone(REST_TARGET);
		const dialMs: number[] = [];
		const restMs: number[] = [];
		const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${TOKEN}`).toString('base64')}`;
		for (let round = 0; round < options.rounds + 3; round++) {
			// The click.
			const rang = nextRing(phone);
			const t0 = performance.now();
			const check = await precheckDial(services, { actorId: agent.subject, to: CUSTOMER, channel: 'voice' });
			if (!check.ok) throw new Error(`click-to-dial bench: the gate refused the dial (${check.rule}: ${check.message})`);
			const call = device.connect({ params: { To: check.e164 ?? CUSTOMER, customerId, source: 'manual' } });
			const t1 = await rang;
			await until(() => call.status() === 'closed', 'the declined call ending');
			await until(async () => (await h.hot.query(api.agentStatus.mine, {}, agent))?.status === 'wrapup', 'wrap-up');
			await h.hot.mutation(api.callWrapup.finishWrapup, { callSid: call.sid, agentId: agent.subject }, SYSTEM_IDENTITY);

			// The carrier's own leg: REST Calls.create to ringing.
			const restRang = nextRing(restPhone);
			const r0 = performance.now();
			const created = await fetch(`${rest.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json`, {
				method: 'POST',
				headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({ To: REST_TARGET, From: SALES_NUMBER, Twiml: '<Response><Hangup/></Response>' })
			});
			if (created.status !== 201) throw new Error(`click-to-dial bench: Calls.create answered ${created.status}: ${await created.text()}`);
			const r1 = await restRang;
			// The first rounds warm up both paths.
			if (round >= 3) {
				dialMs.push(t1 - t0);
				restMs.push(r1 - r0);
			}
		}
		return { dialMs, restMs };
	} finally {
		await new Promise<void>((resolve) => rest.server.close(() => resolve()));
		rest.server.closeAllConnections();
		await server.close();
		await h.close();
	}
}

/** The carrier's REST on its own port, as Twilio's API is reached over HTTP. */
async function serveRest(engine: CarrierEngine): Promise<{ server: Server; url: string }> {
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const url = new URL(req.url ?? '/', 'http://127.0.0.1');
			const request = new Request(url, {
				method: req.method,
				headers: Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])),
				body: req.method === 'GET' || req.method === 'DELETE' ? undefined : Buffer.concat(chunks)
			});
			void handleCarrierHttp(engine, request, url.pathname).then(async (response) => {
				res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json' });
				res.end(Buffer.from(await response.arrayBuffer()));
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
