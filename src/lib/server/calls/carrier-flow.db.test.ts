/**
 * The voice webhooks driven by the local carrier twin (its engine on a virtual clock, signing
 * every request as Twilio does): a customer calls the sales number, the skilled agent's device
 * rings with the customer's name, accepts through acceptCall, talks, and the caller hangs up.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from '$convex/_generated/api';
import { LocalTelephony } from '../adapters/telephony';
import { parseWavMono } from '../adapters/telephony/carrier/audio';
import { CUSTOMER, SWITCHBOARD_NUMBER, TOKEN, startHarness, type Harness } from '../adapters/telephony/carrier/test-switchboard';
import { TwilioTelephony } from '../adapters/telephony/twilio';
import { makeStaff } from '../crm/test-factories';
import { callEvents, calls } from '../db/schema/calls';
import type { Identity } from '../live/hot';
import { setLogLevel } from '../log';
import { applyDeviceAction, openDeviceChannel } from '../softphone/device-channel';
import { createVoiceHarness, type VoiceHarness, answerCarrierWith } from './test-harness';
import { setCallRecording } from './set-call-recording';
import { waitingIn } from './test-board';
import type { VoiceServices } from './voice-services';
import { agentClientIdentity } from './caller-number';

/** How long a test waits, in real time, for the recording job (pg-boss polls): a bound for a stuck job, not a speed. */
const JOB_WAIT_MS = 30_000;
/** The roster and the call board are the wallboard's, so tests read them as a supervisor. */
const WALLBOARD = { subject: 'wallboard-viewer', role: 'supervisor' as const, name: 'Wallboard' };

let carrier: Harness;
let h: VoiceHarness;
let services: VoiceServices;
/** Every status Switchboard answered the carrier with. */
const answered: number[] = [];

beforeAll(async () => {
	carrier = await startHarness();
	// The recording job fetches from this carrier, as the webhooks' telephony does.
	h = await createVoiceHarness({ telephony: new LocalTelephony(carrier.carrier) });
	setLogLevel('silent');
	services = { ...h.services, config: { ...h.config, publicBaseUrl: carrier.server.url } };
	answerCarrierWith(carrier, services, (status) => answered.push(status));
}, 60_000);
afterAll(async () => {
	await carrier.close();
	await h.close();
});

describe('an inbound call through the local carrier', () => {
	it('rings the sales agent with the screen pop, bridges on accept, and archives an answered call', async () => {
		const agent = await h.addAgent(['sales'], 'Alice Moreno');
		await h.addCustomer(CUSTOMER, 'Grace');
		const device = carrier.engine.device(agentClientIdentity(agent.subject));
		device.register();
		const pops: string[] = [];
		device.on('incoming', (call) => {
			pops.push(call.customParameters.get('customerName') ?? '');
			const callSid = call.customParameters.get('callSid') ?? '';
			void h.hot.mutation(api.callLine.acceptCall, { callSid }, agent).then(() => call.accept());
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
		const me = (await h.hot.query(api.agentStatus.list, {}, WALLBOARD)).find((s) => s.userId === agent.subject);
		expect(me?.status).toBe('wrapup');
		// The two-channel recording reaches Storage through the fetch-recording job (real time: pg-boss polls).
		const stored = await vi.waitFor(
			async () => {
				const [now] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, phoneCall.sid));
				if (now?.recordingStatus !== 'stored') throw new Error(`recording is ${now?.recordingStatus}`);
				return now;
			},
			{ timeout: JOB_WAIT_MS, interval: 50 }
		);
		expect(stored).toMatchObject({ recordingStatus: 'stored', recordingChannels: 2, recordingKey: `recordings/${phoneCall.sid}/${stored?.recordingSid}.wav` });
		expect((await h.adapters.storage.head(stored?.recordingKey ?? ''))?.size).toBeGreaterThan(44);
		// Every request the carrier sent passed the signature check and was handled.
		expect(answered.length).toBeGreaterThan(5);
		expect(answered.filter((status) => status !== 200 && status !== 204)).toEqual([]);
	});

	it('moves a call nobody answers to the next agent, who takes it; the first is marked away', async () => {
		const sleepy = await h.addAgent(['support'], 'Sleepy');
		const keen = await h.addAgent(['support'], 'Keen');
		const sleepyDevice = carrier.engine.device(agentClientIdentity(sleepy.subject));
		const keenDevice = carrier.engine.device(agentClientIdentity(keen.subject));
		sleepyDevice.register();
		keenDevice.register();
		const rings: string[] = [];
		sleepyDevice.on('incoming', () => rings.push('sleepy'));
		keenDevice.on('incoming', (call) => {
			rings.push('keen');
			void h.hot.mutation(api.callLine.acceptCall, { callSid: call.customParameters.get('callSid') ?? '' }, keen).then(() => call.accept());
		});
		const phoneCall = carrier.engine.phone('+13035550188').call('+14155550101');
		for (let i = 0; i < 40 && !rings.includes('keen'); i++) await carrier.clock.advance(1000);
		expect(rings).toEqual(['sleepy', 'keen']);
		for (let i = 0; i < 10; i++) await carrier.clock.advance(1000);
		phoneCall.hangUp();
		for (let i = 0; i < 5; i++) await carrier.clock.advance(1000);
		const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, phoneCall.sid));
		expect(row).toMatchObject({ outcome: 'answered', agentId: keen.subject });
		const statuses = await h.hot.query(api.agentStatus.list, {}, WALLBOARD);
		expect(statuses.find((s) => s.userId === sleepy.subject)?.status).toBe('away');
		expect(answered.filter((status) => status !== 200 && status !== 204)).toEqual([]);
	});

	it('passes a call the agent declines on the softphone to the next agent at once; a decline is not a miss', async () => {
		await h.addQueue('+14155550122', 'declines', ['decline-skill'], 20);
		const agents = [await h.addAgent(['decline-skill'], 'Dee Decliner'), await h.addAgent(['decline-skill'], 'Tay Taker')];
		// Each agent's softphone as the browser runs it: a device channel, and actions applied as its buttons send them.
		const rung: { agent: Identity; identity: string; deviceId: string; callSid: string; parent: string; at: number }[] = [];
		const closers = agents.map((agent) => {
			const identity = agentClientIdentity(agent.subject);
			let deviceId = '';
			return openDeviceChannel(carrier.engine, identity, (event) => {
				if (event.type === 'registered') deviceId = event.deviceId;
				if (event.type === 'incoming') {
					rung.push({ agent, identity, deviceId, callSid: event.callSid, parent: event.customParameters.callSid ?? '', at: carrier.clock.now().getTime() });
				}
			});
		});
		try {
			const phoneCall = carrier.engine.phone('+13035550104').call('+14155550122');
			for (let i = 0; i < 10 && rung.length === 0; i++) await carrier.clock.advance(1000);
			const declined = rung[0];
			if (!declined) throw new Error('no agent was offered the call');
			// The softphone's Decline button: the device rejects, the carrier reports busy to the dial action.
			expect(applyDeviceAction(declined.identity, { deviceId: declined.deviceId, callSid: declined.callSid, action: 'reject' })).toMatchObject({ ok: true });
			for (let i = 0; i < 10 && rung.length < 2; i++) await carrier.clock.advance(1000);
			const next = rung[1];
			if (!next) throw new Error('the declined call was not offered to the next agent');
			expect(next.agent.subject).not.toBe(declined.agent.subject);
			// At once, not after the queue's 20 s ring timeout.
			expect(next.at - declined.at).toBeLessThan(5000);
			// Not a miss: no count, no notice, and (DECLINE_SETS_AGENT unset) available again.
			expect(await h.hot.query(api.agentStatus.mine, {}, declined.agent)).toMatchObject({ status: 'available', missedCalls: 0, lastMissed: null });

			await h.hot.mutation(api.callLine.acceptCall, { callSid: next.parent }, next.agent);
			expect(applyDeviceAction(next.identity, { deviceId: next.deviceId, callSid: next.callSid, action: 'accept' })).toMatchObject({ ok: true });
			for (let i = 0; i < 10; i++) await carrier.clock.advance(1000);
			phoneCall.hangUp();
			for (let i = 0; i < 5; i++) await carrier.clock.advance(1000);
			const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, phoneCall.sid));
			expect(row).toMatchObject({ outcome: 'answered', agentId: next.agent.subject });
			const events = await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, row?.id ?? ''));
			expect(events.filter((e) => e.kind === 'declined').map((e) => e.payload.agentId)).toEqual([declined.agent.subject]);
			expect(events.filter((e) => e.kind === 'missed')).toEqual([]);
			expect(rung).toHaveLength(2);
		} finally {
			for (const close of closers) close();
		}
	});

	it('bridges an agent who dials queue:<name> to the oldest waiting caller, then the next, in arrival order', async () => {
		await h.addQueue('+14155550120', 'pickup', ['pickup-skill']);
		const first = carrier.engine.phone('+13035550101').call('+14155550120');
		await carrier.clock.advance(1000);
		const second = carrier.engine.phone('+13035550102').call('+14155550120');
		for (let i = 0; i < 3; i++) await carrier.clock.advance(1000);
		const waiting = await waitingIn(h.hot, 'pickup');
		expect(waiting.map((w) => w.callSid)).toEqual([first.sid, second.sid]);

		// The pickup request runs before the clock moves, so the hold loop does not offer them first.
		const agent = await h.addAgent(['pickup-skill'], 'Pat Picker');
		const device = carrier.engine.device(agentClientIdentity(agent.subject));
		device.register();
		const pickup = device.connect({ params: { To: 'queue:pickup' } });
		for (let i = 0; i < 5; i++) await carrier.clock.advance(1000);
		const [bridged] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, first.sid));
		expect(bridged).toMatchObject({ agentId: agent.subject, agentCallSid: pickup.parameters.CallSid });
		expect(bridged?.answeredAt).not.toBeNull();
		expect((await waitingIn(h.hot, 'pickup')).map((w) => w.callSid)).toEqual([second.sid]);

		for (let i = 0; i < 20; i++) await carrier.clock.advance(1000);
		first.hangUp();
		for (let i = 0; i < 5; i++) await carrier.clock.advance(1000);
		const [done] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, first.sid));
		expect(done).toMatchObject({ outcome: 'answered', agentId: agent.subject, status: 'completed' });
		// Derived from answer to hang-up (no agent-leg callbacks on a pickup); the twin's virtual clock makes its value meaningless here.
		expect(done?.talkSeconds).toEqual(expect.any(Number));
		expect((await h.hot.query(api.agentStatus.list, {}, WALLBOARD)).find((s) => s.userId === agent.subject)?.status).toBe('wrapup');
		second.hangUp();
		for (let i = 0; i < 3; i++) await carrier.clock.advance(1000);
		expect(answered.filter((status) => status !== 200 && status !== 204)).toEqual([]);
	});

	it('tells an agent who dials an empty queue that nobody is waiting', async () => {
		const agent = await h.addAgent(['empty-skill']);
		const device = carrier.engine.device(agentClientIdentity(agent.subject));
		device.register();
		const pickup = device.connect({ params: { To: 'queue:empty-queue' } });
		for (let i = 0; i < 5; i++) await carrier.clock.advance(1000);
		expect(pickup.heard.join(' ')).toContain('Nobody is waiting');
	});

	it('offers the oldest waiting caller to an agent who becomes available, through the hold loop', async () => {
		await h.addQueue('+14155550121', 'later', ['later-skill']);
		const caller = carrier.engine.phone('+13035550103').call('+14155550121');
		for (let i = 0; i < 3; i++) await carrier.clock.advance(1000);
		expect((await waitingIn(h.hot, 'later')).map((w) => w.callSid)).toEqual([caller.sid]);

		const agent = await h.addAgent(['later-skill'], 'Lee Later');
		const device = carrier.engine.device(agentClientIdentity(agent.subject));
		device.register();
		const pops: string[] = [];
		device.on('incoming', (call) => {
			pops.push(call.customParameters.get('callSid') ?? '');
			void h.hot.mutation(api.callLine.acceptCall, { callSid: call.customParameters.get('callSid') ?? '' }, agent).then(() => call.accept());
		});
		for (let i = 0; i < 40 && pops.length === 0; i++) await carrier.clock.advance(1000);
		expect(pops).toEqual([caller.sid]);
		for (let i = 0; i < 10; i++) await carrier.clock.advance(1000);
		caller.hangUp();
		for (let i = 0; i < 5; i++) await carrier.clock.advance(1000);
		const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, caller.sid));
		expect(row).toMatchObject({ outcome: 'answered', agentId: agent.subject });
		expect(answered.filter((status) => status !== 200 && status !== 204)).toEqual([]);
	});

	it('pauses and resumes the recording through the official client over the carrier REST: the paused stretch leaves the file', async () => {
		// What local mode runs on: the twilio client pointed at the carrier's REST under /carrier.
		const rest = new TwilioTelephony({
			accountSid: carrier.carrier.accountSid,
			authToken: TOKEN,
			apiKeySid: carrier.carrier.tokenKeySid,
			apiKeySecret: TOKEN,
			twimlAppSid: carrier.carrier.applicationSid,
			apiBaseUrl: await carrier.serveCarrier()
		});
		const viaRest = { ...services, adapters: { ...services.adapters, telephony: rest } };
		await h.addQueue('+14155550130', 'pausing', ['pause-skill']);
		const agent = await h.addAgent(['pause-skill'], 'Paula Pause');
		const device = carrier.engine.device(agentClientIdentity(agent.subject));
		device.register();
		device.on('incoming', (call) => {
			void h.hot.mutation(api.callLine.acceptCall, { callSid: call.customParameters.get('callSid') ?? '' }, agent).then(() => call.accept());
		});
		const phoneCall = carrier.engine.phone('+13035550177').call('+14155550130');
		const live = async () => (await h.testDb.db.select().from(calls).where(eq(calls.callSid, phoneCall.sid)))[0];
		for (let i = 0; i < 20 && !(await live())?.answeredAt; i++) await carrier.clock.advance(1000);
		const me = { id: agent.subject, role: 'agent' as const };
		const stranger = await makeStaff(h.testDb.db, 'agent');
		await expect(setCallRecording(viaRest, { id: stranger.id, role: 'agent' }, { callSid: phoneCall.sid, paused: true })).rejects.toMatchObject({ code: 'NOT_YOUR_CALL' });

		for (let i = 0; i < 10; i++) await carrier.clock.advance(1000);
		expect(await setCallRecording(viaRest, me, { callSid: phoneCall.sid, paused: true })).toEqual({ callSid: phoneCall.sid, recording: 'paused' });
		const board = await h.hot.query(api.callBoard.board, {}, WALLBOARD);
		expect(board.active.find((a) => a.callSid === phoneCall.sid)?.recording).toBe(false);
		for (let i = 0; i < 20; i++) await carrier.clock.advance(1000);
		// A supervisor may resume it too.
		const supervisor = await makeStaff(h.testDb.db, 'supervisor');
		expect(await setCallRecording(viaRest, { id: supervisor.id, role: 'supervisor' }, { callSid: phoneCall.sid, paused: false })).toMatchObject({ recording: 'on' });
		for (let i = 0; i < 30; i++) await carrier.clock.advance(1000);
		phoneCall.hangUp();
		for (let i = 0; i < 5; i++) await carrier.clock.advance(1000);
		await expect(setCallRecording(viaRest, me, { callSid: phoneCall.sid, paused: true })).rejects.toMatchObject({ code: 'CALL_NOT_LIVE' });

		const stored = await vi.waitFor(
			async () => {
				const now = await live();
				if (now?.recordingStatus !== 'stored') throw new Error(`recording is ${now?.recordingStatus}`);
				return now;
			},
			{ timeout: JOB_WAIT_MS, interval: 50 }
		);
		const talk = stored?.talkSeconds ?? 0;
		expect(talk).toBeGreaterThanOrEqual(58);
		// The recording callback reports the recorded time only, and the file holds exactly that.
		expect(stored?.recordingSeconds).toBe(talk - 20);
		const file = await h.adapters.storage.get(stored?.recordingKey ?? '');
		const body = Buffer.from(file?.body ?? new Uint8Array());
		const frames = (body.length - 44) / 4;
		expect(Math.round(frames / 8000)).toBe(talk - 20);
		expect(parseWavMono(body).rate).toBe(8000);
		const kinds = (await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, stored?.id ?? ''))).map((e) => e.kind);
		expect(kinds).toEqual(expect.arrayContaining(['recording.paused', 'recording.resumed', 'recording.completed']));
	});
});
