/**
 * The voice webhooks driven by the local carrier twin (its engine on a virtual clock, signing
 * every request as Twilio does): a customer calls the sales number, the skilled agent's device
 * rings with the customer's name, accepts through acceptCall, talks, and the caller hangs up.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { LocalTelephony } from '../adapters/telephony';
import { CUSTOMER, SWITCHBOARD_NUMBER, startHarness, type Harness } from '../adapters/telephony/carrier/test-switchboard';
import { callEvents, calls } from '../db/schema/voice';
import { setLogLevel } from '../log';
import { createVoiceHarness, HANDLERS, type VoiceHarness } from './test-harness';
import type { VoiceServices } from './voice-services';

let carrier: Harness;
let h: VoiceHarness;
let services: VoiceServices;
/** Every status Switchboard answered the carrier with. */
const answered: number[] = [];

beforeAll(async () => {
	[carrier, h] = await Promise.all([startHarness(), createVoiceHarness()]);
	setLogLevel('silent');
	services = { ...h.services, config: { publicBaseUrl: carrier.server.url }, adapters: { telephony: new LocalTelephony(carrier.carrier) } };
	for (const [path, handler] of Object.entries(HANDLERS)) {
		carrier.routes.set(path, async (req) => {
			const url = new URL(`${req.path}${req.query.size ? `?${req.query.toString()}` : ''}`, carrier.server.url);
			const headers = Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : []));
			const res = await handler(services, new Request(url, { method: 'POST', headers, body: new Uint8Array(req.body) }), url);
			answered.push(res.status);
			return { status: res.status, body: await res.text() };
		});
	}
}, 60_000);
afterAll(async () => {
	await carrier.close();
	await h.close();
});

describe('an inbound call through the local carrier', () => {
	it('rings the sales agent with the screen pop, bridges on accept, and archives an answered call', async () => {
		const agent = await h.addAgent(['sales'], 'Alice Moreno');
		await h.addCustomer(CUSTOMER, 'Grace');
		const device = carrier.engine.device(`agent_${agent.subject}`);
		device.register();
		const pops: string[] = [];
		device.on('incoming', (call) => {
			pops.push(call.customParameters.get('customerName') ?? '');
			const callSid = call.customParameters.get('callSid') ?? '';
			void h.hot.mutation(api.calls.acceptCall, { callSid }, agent).then(() => call.accept());
		});

		const phoneCall = carrier.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		for (let i = 0; i < 10 && pops.length === 0; i++) await carrier.clock.advance(1000);
		expect(pops).toEqual(['Grace Lovelace']);
		for (let i = 0; i < 30; i++) await carrier.clock.advance(1000);
		phoneCall.hangUp();
		for (let i = 0; i < 5; i++) await carrier.clock.advance(1000);

		const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, phoneCall.sid));
		expect(row).toMatchObject({ outcome: 'answered', agentId: agent.subject, queue: 'sales', status: 'completed' });
		expect(row?.talkSeconds).toBeGreaterThan(20);
		const kinds = (await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, row?.id ?? ''))).map((e) => e.kind);
		expect(kinds).toEqual(expect.arrayContaining(['received', 'offered', 'agent.ringing', 'agent.in-progress', 'agent.completed', 'status.completed']));
		const me = (await h.hot.query(api.agentStatus.list, {}, agent)).find((s) => s.userId === agent.subject);
		expect(me?.status).toBe('wrapup');
		// Every request the carrier sent passed the signature check and was handled.
		expect(answered.length).toBeGreaterThan(5);
		expect(answered.filter((status) => status !== 200 && status !== 204)).toEqual([]);
	});

	it('moves a call nobody answers to the next agent, who takes it; the first is marked away', async () => {
		const sleepy = await h.addAgent(['support'], 'Sleepy');
		const keen = await h.addAgent(['support'], 'Keen');
		const sleepyDevice = carrier.engine.device(`agent_${sleepy.subject}`);
		const keenDevice = carrier.engine.device(`agent_${keen.subject}`);
		sleepyDevice.register();
		keenDevice.register();
		const rings: string[] = [];
		sleepyDevice.on('incoming', () => rings.push('sleepy'));
		keenDevice.on('incoming', (call) => {
			rings.push('keen');
			void h.hot.mutation(api.calls.acceptCall, { callSid: call.customParameters.get('callSid') ?? '' }, keen).then(() => call.accept());
		});
		const phoneCall = carrier.engine.phone('+13035550188').call('+14155550101');
		for (let i = 0; i < 40 && !rings.includes('keen'); i++) await carrier.clock.advance(1000);
		expect(rings).toEqual(['sleepy', 'keen']);
		for (let i = 0; i < 10; i++) await carrier.clock.advance(1000);
		phoneCall.hangUp();
		for (let i = 0; i < 5; i++) await carrier.clock.advance(1000);
		const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, phoneCall.sid));
		expect(row).toMatchObject({ outcome: 'answered', agentId: keen.subject });
		const statuses = await h.hot.query(api.agentStatus.list, {}, keen);
		expect(statuses.find((s) => s.userId === sleepy.subject)?.status).toBe('away');
		expect(answered.filter((status) => status !== 200 && status !== 204)).toEqual([]);
	});
});
