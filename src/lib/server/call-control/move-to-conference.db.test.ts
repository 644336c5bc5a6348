/**
 * Moving a live call into its conference through the local carrier and the real webhooks: the
 * agent's Dial<Client> leg is redirected, the customer's Dial action answers the conference TwiML,
 * both legs are participants (customer and agent:<id>), the conference webhook marks the call as
 * in its conference, and the call goes on (no wrap-up) until the customer hangs up.
 */
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { LocalTelephony } from '../adapters/telephony';
import { ACCOUNT, CUSTOMER, SWITCHBOARD_NUMBER, TOKEN, startHarness, type Harness } from '../adapters/telephony/carrier/test-switchboard';
import { RebasingRequestClient } from '../adapters/telephony/twilio';
import { agentClientIdentity } from '../calls/caller-number';
import { createVoiceHarness, HANDLERS, type VoiceHarness } from '../calls/test-harness';
import type { VoiceServices } from '../calls/voice-services';
import { SYSTEM_IDENTITY } from '../live/hot';
import { setLogLevel } from '../log';
import { ensureConference } from './conference';

let carrier: Harness;
let h: VoiceHarness;
let services: VoiceServices;
const answered: number[] = [];

beforeAll(async () => {
	carrier = await startHarness();
	h = await createVoiceHarness({ telephony: new LocalTelephony(carrier.carrier) });
	setLogLevel('silent');
	services = { ...h.services, config: { ...h.config, publicBaseUrl: carrier.server.url } };
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

async function advance(seconds: number, until?: () => boolean | Promise<boolean>) {
	for (let i = 0; i < seconds; i++) {
		if (until && (await until())) return;
		await carrier.clock.advance(1000);
	}
}

describe('moving a call into its conference', () => {
	it('moves an answered inbound call: both legs join call-<customer>, the call goes on', async () => {
		const agent = await h.addAgent(['sales'], 'Alice Moreno');
		const device = carrier.engine.device(agentClientIdentity(agent.subject));
		device.register();
		let agentLeg = '';
		device.on('incoming', (call) => {
			agentLeg = call.parameters.CallSid ?? '';
			void h.hot.mutation(api.callLine.acceptCall, { callSid: call.customParameters.get('callSid') ?? '' }, agent).then(() => call.accept());
		});
		const phoneCall = carrier.engine.phone(CUSTOMER).call(SWITCHBOARD_NUMBER);
		await advance(20, async () => (await h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY))?.agentCallSid === agentLeg && agentLeg !== '');

		const ref = await ensureConference(services, phoneCall.sid);
		expect(ref).toMatchObject({ conferenceName: `call-${phoneCall.sid}`, customerCallSid: phoneCall.sid, agentCallSid: agentLeg });
		// Idempotent: asking again does not redirect again.
		expect(await ensureConference(services, agentLeg)).toMatchObject({ conferenceName: `call-${phoneCall.sid}` });
		await advance(10, async () => (await h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY))?.controlState === 'conference');

		const row = await h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY);
		expect(row).toMatchObject({ state: 'in-progress', controlState: 'conference', conferenceName: `call-${phoneCall.sid}` });
		const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(await carrier.serveCarrier()) });
		const participants = await client.conferences(row!.conferenceSid!).participants.list();
		expect(participants.map((p) => p.callSid).sort()).toEqual([agentLeg, phoneCall.sid].sort());
		expect(participants.find((p) => p.callSid === phoneCall.sid)?.endConferenceOnExit).toBe(true);
		expect(participants.find((p) => p.callSid === agentLeg)?.endConferenceOnExit).toBe(false);
		expect(phoneCall.status).toBe('in-progress');

		phoneCall.hangUp();
		await advance(10, async () => (await h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY))?.state === 'wrapup');
		expect((await h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY))?.state).toBe('wrapup');
		expect(carrier.engine.liveCalls).toEqual([]);
		expect(answered.filter((status) => status !== 200 && status !== 204)).toEqual([]);
	});

	it('refuses a call that is not live, writing nothing', async () => {
		await expect(ensureConference(services, `CA${'9'.repeat(32)}`)).rejects.toMatchObject({ code: 'CALL_NOT_LIVE' });
	});
});
