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
import { handleCarrierHttp } from '../adapters/telephony/carrier/http';
import { RebasingRequestClient } from '../adapters/telephony/twilio';
import { agentClientIdentity } from '../calls/caller-number';
import { createVoiceHarness, type VoiceHarness, answerCarrierWith } from '../calls/test-harness';
import { advanceCarrier } from '../calls/test-carrier-kit';
import type { VoiceServices } from '../calls/voice-services';
import { SYSTEM_IDENTITY } from '../live/hot';
import { setLogLevel } from '../log';
import { asc, eq } from 'drizzle-orm';
import { callSegments } from '../db/schema/call-control';
import { callEvents, calls } from '../db/schema/calls';
import { callLog } from '../db/schema/reporting';
import { ensureConference } from './conference';
import { addParticipant, dropParticipant } from './add-participant';
import { setCallHold } from './hold-call';
import { monitorCall, stopMonitor } from './monitor-call';
import { handleTimeByAgent } from './record-segment';

let carrier: Harness;
let h: VoiceHarness;
let services: VoiceServices;
const answered: number[] = [];

beforeAll(async () => {
	carrier = await startHarness();
	// The app's wiring: the client's requests answered by the engine's whole HTTP surface (conferences included).
	h = await createVoiceHarness({ telephony: new LocalTelephony(carrier.carrier, (request, path) => handleCarrierHttp(carrier.engine, request, path)) });
	setLogLevel('silent');
	services = { ...h.services, config: { ...h.config, publicBaseUrl: carrier.server.url } };
	answerCarrierWith(carrier, services, (status) => answered.push(status));
}, 60_000);
afterAll(async () => {
	await carrier.close();
	await h.close();
});

/** The carrier's clock, a second at a time (test-carrier-kit.ts). */
const advance = (seconds: number, until?: () => boolean | Promise<boolean>) => advanceCarrier(carrier, seconds, until);

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

	it('holds and resumes the customer with our hold music; refuses bad requests; archives the hold', async () => {
		const agent = await h.addAgent(['support'], 'Hana Holder');
		const other = await h.addAgent(['nothing'], 'Olga Other');
		const device = carrier.engine.device(agentClientIdentity(agent.subject));
		device.register();
		device.on('incoming', (call) => {
			void h.hot.mutation(api.callLine.acceptCall, { callSid: call.customParameters.get('callSid') ?? '' }, agent).then(() => call.accept());
		});
		const phoneCall = carrier.engine.phone('+13035550177').call('+14155550101');
		await advance(20, async () => Boolean((await h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY))?.agentCallSid));
		const me = { id: agent.subject };

		await expect(setCallHold(services, { id: other.subject }, { callSid: phoneCall.sid, held: true })).rejects.toMatchObject({ code: 'NOT_YOUR_CALL' });
		await expect(setCallHold(services, me, { callSid: phoneCall.sid, held: false })).rejects.toMatchObject({ code: 'NOT_HELD' });
		// The hold's times are given, so its length is exact whatever the machine's speed.
		const heldAt = new Date();
		const holding = setCallHold(services, me, { callSid: phoneCall.sid, held: true }, heldAt);
		// The move into the conference happens on the carrier's virtual clock while hold waits for it.
		let held: Awaited<typeof holding> | undefined;
		void holding.then((r) => (held = r));
		await advance(30, () => held !== undefined);
		expect(held).toMatchObject({ held: true });
		await advance(3);
		expect(phoneCall.heard.some((line) => line.includes('/audio/hold-music.wav'))).toBe(true);
		const row = await h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY);
		expect(row).toMatchObject({ state: 'on-hold' });
		expect(row?.participants?.find((p) => p.callSid === phoneCall.sid)).toMatchObject({ label: 'customer', hold: true });
		await expect(setCallHold(services, me, { callSid: phoneCall.sid, held: true })).rejects.toMatchObject({ code: 'ALREADY_HELD' });

		await advance(30);
		const resumed = await setCallHold(services, me, { callSid: phoneCall.sid, held: false }, new Date(heldAt.getTime() + 30_000));
		expect(resumed).toMatchObject({ held: false, heldSeconds: 30 });
		await advance(2);
		expect((await h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY))?.participants?.find((p) => p.callSid === phoneCall.sid)?.hold).toBe(false);
		await expect(setCallHold(services, me, { callSid: phoneCall.sid, held: false })).rejects.toMatchObject({ code: 'NOT_HELD' });

		phoneCall.hangUp();
		await advance(10, async () => (await h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY))?.state === 'wrapup');
		const [call] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, phoneCall.sid));
		// The call's story: talk, the hold (talk pauses), talk again until the caller hangs up; all closed.
		const segments = await h.testDb.db.select().from(callSegments).where(eq(callSegments.callId, call!.id)).orderBy(asc(callSegments.startedAt), asc(callSegments.createdAt));
		expect(segments.map((x) => `${x.kind} ${x.agentId === agent.subject ? 'me' : x.agentId}`)).toEqual(['talk me', 'hold me', 'talk me']);
		expect(segments.every((x) => x.endedAt !== null)).toBe(true);
		const hold = segments[1]!;
		expect(hold.endedAt!.getTime() - hold.startedAt.getTime()).toBe(30_000);
		expect(segments[0]!.endedAt!.getTime()).toBe(hold.startedAt.getTime());
		expect(segments[2]!.startedAt.getTime()).toBe(hold.endedAt!.getTime());
		const kinds = (await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, call!.id))).map((e) => e.kind);
		expect(kinds).toEqual(expect.arrayContaining(['hold.started', 'hold.ended']));
		// The reporting log has the hold too: its 30 s move from talk to hold (handle time counts them once).
		const logged = await h.testDb.db.select().from(callLog).where(eq(callLog.callId, call!.id));
		expect(logged.filter((e) => e.type === 'held')).toHaveLength(1);
		expect(logged.find((e) => e.type === 'resumed')).toMatchObject({ agentId: agent.subject, seconds: 30 });
		const times = await handleTimeByAgent(h.testDb.db, new Date(0), new Date(Date.UTC(2100, 0, 1)));
		const mine = times.find((t) => t.agentId === agent.subject);
		expect(mine?.holdSeconds).toBe(30);
		expect(mine!.handleSeconds).toBeGreaterThanOrEqual(mine!.holdSeconds);
		expect(answered.filter((status) => status !== 200 && status !== 204)).toEqual([]);
	});

	it('adds an agent (three-way), lets a supervisor whisper to the agent only, drops them; refuses bad parties', async () => {
		const alice = await h.addAgent(['three'], 'Alice Three');
		const bob = await h.addAgent(['nobody'], 'Bob Added');
		const sue = await h.addAgent(['nobody'], 'Sue Supervisor');
		const legs = new Map<string, string>();
		for (const who of [alice, bob, sue]) {
			const device = carrier.engine.device(agentClientIdentity(who.subject));
			device.register();
			device.on('incoming', (call) => {
				legs.set(who.subject, call.parameters.CallSid ?? '');
				const callSid = call.customParameters.get('callSid');
				if (callSid) void h.hot.mutation(api.callLine.acceptCall, { callSid }, who).then(() => call.accept());
				else queueMicrotask(() => call.accept());
			});
		}
		await h.addQueue('+14155550133', 'three', ['three']);
		const phoneCall = carrier.engine.phone('+13035550166').call('+14155550133');
		await advance(20, async () => Boolean((await h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY))?.agentCallSid));
		const me = { id: alice.subject, role: 'agent' as const };
		const row = () => h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY);

		// Bad parties: clear errors, and no leg reaches the carrier.
		const legsBefore = carrier.carrier.calls.size;
		await expect(addParticipant(services, me, { callSid: phoneCall.sid, target: { agentId: alice.subject } })).rejects.toMatchObject({ code: 'CANNOT_ADD_YOURSELF' });
		await expect(addParticipant(services, me, { callSid: phoneCall.sid, target: { agentId: 'no-such-agent' } })).rejects.toMatchObject({ code: 'AGENT_NOT_FOUND' });
		// Only an agent available now, with a ready softphone, can be added.
		await h.hot.mutation(api.agentStatus.setMine, { status: 'away' }, bob);
		await expect(addParticipant(services, me, { callSid: phoneCall.sid, target: { agentId: bob.subject } })).rejects.toMatchObject({ code: 'AGENT_UNAVAILABLE' });
		await h.hot.mutation(api.agentStatus.setMine, { status: 'available' }, bob);
		await h.hot.mutation(api.agentStatus.heartbeat, { softphone: 'registering' }, bob);
		await expect(addParticipant(services, me, { callSid: phoneCall.sid, target: { agentId: bob.subject } })).rejects.toMatchObject({ code: 'AGENT_UNAVAILABLE' });
		await h.hot.mutation(api.agentStatus.heartbeat, { softphone: 'ready' }, bob);
		await expect(addParticipant(services, me, { callSid: phoneCall.sid, target: { number: 'not a number' } })).rejects.toMatchObject({ kind: 'BAD_REQUEST' });
		await expect(addParticipant(services, { id: bob.subject, role: 'agent' }, { callSid: phoneCall.sid, target: { agentId: sue.subject } })).rejects.toMatchObject({ code: 'NOT_YOUR_CALL' });
		await expect(monitorCall(services, me, { callSid: phoneCall.sid, mode: 'monitor' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(carrier.carrier.calls.size).toBe(legsBefore);
		expect((await row())?.controlState).toBeUndefined();

		const adding = addParticipant(services, me, { callSid: phoneCall.sid, target: { agentId: bob.subject } });
		let added: Awaited<typeof adding> | undefined;
		void adding.then((r) => (added = r));
		const bobStatus = async () => (await h.hot.query(api.agentStatus.mine, {}, bob))?.status;
		// The join reaches the call's row, then Bob's status (two hot-state writes of one
		// conference event): wait for both, not for the first alone.
		await advance(30, async () => added !== undefined && ((await row())?.participants ?? []).some((p) => p.label === `agent:${bob.subject}`) && (await bobStatus()) === 'busy');
		expect((await row())?.participants?.map((p) => p.label).sort()).toEqual(['agent:' + alice.subject, 'agent:' + bob.subject, 'customer'].sort());
		// Bob is on the call now: busy, so nothing else is offered to him, and he cannot be added twice.
		expect(await bobStatus()).toBe('busy');
		await expect(addParticipant(services, me, { callSid: phoneCall.sid, target: { agentId: bob.subject } })).rejects.toMatchObject({ code: 'ALREADY_ON_CALL' });

		const whisper = monitorCall(services, { id: sue.subject, role: 'supervisor' }, { callSid: phoneCall.sid, mode: 'whisper' });
		let whispering: Awaited<typeof whisper> | undefined;
		void whisper.then((r) => (whispering = r));
		await advance(30, async () => whispering !== undefined && ((await row())?.participants ?? []).some((p) => p.label === `supervisor:${sue.subject}`));
		const client = twilio(ACCOUNT, TOKEN, { httpClient: new RebasingRequestClient(await carrier.serveCarrier()) });
		const current = await row();
		const coach = await client.conferences(current!.conferenceSid!).participants(whispering!.participantCallSid).fetch();
		expect(coach).toMatchObject({ coaching: true, callSidToCoach: current!.agentCallSid, muted: false });
		expect(current?.listeners).toMatchObject([{ userId: sue.subject, mode: 'whisper', callSid: whispering!.participantCallSid }]);

		await stopMonitor(services, { id: sue.subject, role: 'supervisor' }, { callSid: phoneCall.sid });
		await advance(10, async () => ((await row())?.listeners ?? []).length === 0);
		await dropParticipant(services, me, { callSid: phoneCall.sid, participantCallSid: added!.participantCallSid });
		// Dropped: off the call's row, then available again (the leave's second write).
		await advance(10, async () => !((await row())?.participants ?? []).some((p) => p.label === `agent:${bob.subject}`) && (await bobStatus()) !== 'busy');
		expect(await bobStatus()).toBe('available');
		await expect(dropParticipant(services, me, { callSid: phoneCall.sid, participantCallSid: phoneCall.sid })).rejects.toMatchObject({ code: 'CANNOT_DROP_CUSTOMER' });

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup');
		const [call] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, phoneCall.sid));
		const kinds = (await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, call!.id))).map((e) => e.kind);
		expect(kinds).toEqual(expect.arrayContaining(['participant.added', 'monitor.whisper', 'monitor.ended', 'participant.dropped']));
		// The call's story: Alice talks, is in a conference with Bob while he is on it (Sue monitoring apart), then talks again.
		const segments = await h.testDb.db.select().from(callSegments).where(eq(callSegments.callId, call!.id)).orderBy(asc(callSegments.startedAt), asc(callSegments.createdAt));
		const names: Record<string, string> = { [alice.subject]: 'Alice', [bob.subject]: 'Bob', [sue.subject]: 'Sue' };
		expect(segments.map((x) => `${x.kind} ${names[x.agentId ?? ''] ?? '-'}`)).toEqual(['talk Alice', 'conference Alice', 'conference Bob', 'monitor Sue', 'talk Alice']);
		expect(segments.every((x) => x.endedAt !== null)).toBe(true);
	});

	it('refuses a call that is not live, writing nothing', async () => {
		await expect(ensureConference(services, `CA${'9'.repeat(32)}`)).rejects.toMatchObject({ code: 'CALL_NOT_LIVE' });
	});
});
