/**
 * Call control on OUTBOUND calls through the local carrier (issue #13: "inbound and outbound
 * alike"): the agent's softphone connects, the outbound route answers `<Dial callerId><Number>`,
 * the customer's phone answers; then hold and resume, a cold transfer to another agent, a warm
 * transfer cancelled back, and a supervisor's whisper, each checked by who hears whom at the
 * carrier and by what the archive keeps. For an outbound call the leg moved into the conference
 * is the customer's (the Dial's child); the agent's Client leg follows from the Dial action.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { LocalTelephony } from '../adapters/telephony';
import { startHarness, type Harness } from '../adapters/telephony/carrier/test-switchboard';
import { handleCarrierHttp } from '../adapters/telephony/carrier/http';
import type { DeviceCall, PhoneCall } from '../adapters/telephony/carrier/parties';
import { createVoiceHarness, SALES_NUMBER, type VoiceHarness, answerCarrierWith } from '../calls/test-harness';
import { advanceCarrier, answeringSoftphone } from '../calls/test-carrier-kit';
import { VOICE_PATHS } from '../calls/voice-paths';
import type { VoiceServices } from '../calls/voice-services';
import { callSegments } from '../db/schema/call-control';
import { callEvents, calls } from '../db/schema/calls';
import { callTransfers } from '../db/schema/transfers';
import { SYSTEM_IDENTITY } from '../live/hot';
import { setLogLevel } from '../log';
import { handoffCallSid } from '$lib/transfers/handoff';
import { moveTransfer } from '../transfers/move-transfer';
import { startTransfer } from '../transfers/start-transfer';
import { transferDeps } from '../transfers/transfer-services';
import { addParticipant, dropParticipant } from './add-participant';
import { setCallHold } from './hold-call';
import { monitorCall, stopMonitor } from './monitor-call';

let carrier: Harness;
let h: VoiceHarness;
let services: VoiceServices;
const answered: number[] = [];

beforeAll(async () => {
	// The TwiML App's voice URL is the outbound route, as deployed; conferences answered by the engine's HTTP surface.
	carrier = await startHarness({ applicationVoiceUrl: VOICE_PATHS.outbound });
	// Midday in New York: the outbound gate lets the dials through.
	h = await createVoiceHarness({
		telephony: new LocalTelephony(carrier.carrier, (request, path) => handleCarrierHttp(carrier.engine, request, path)),
		env: { OUTBOUND_CLOCK_START: '2026-12-07T17:00:00Z', OUTBOUND_RULES: '{"recallGapMinutes":0}' }
	});
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

type Agent = Awaited<ReturnType<VoiceHarness['addAgent']>>;

/** A softphone that answers whatever rings it (test-carrier-kit.ts); `legs` gets the leg each agent took. */
const answering = (who: Agent, legs: Map<string, string>) => answeringSoftphone(carrier, h.hot, who, legs);

let dialled = 0;
/** `agent` dials a fresh New York number from the softphone; the customer's phone answers; the call is live. */
async function outboundCall(agent: Agent, legs: Map<string, string>) {
	const number = `+1212555${String(3000 + ++dialled)}`;
	const phone = carrier.engine.phone(number);
	let phoneCall: PhoneCall | undefined;
	phone.on('incoming', (call) => {
		phoneCall = call;
		queueMicrotask(() => call.answer());
	});
	const device = answering(agent, legs);
	const agentCall: DeviceCall = device.connect({ params: { To: number } });
	const row = () => h.hot.query(api.callControl.byLeg, { legSid: agentCall.sid }, SYSTEM_IDENTITY);
	await advance(20, async () => {
		const r = await row();
		return r?.state === 'in-progress' && Boolean(r.customerCallSid) && phoneCall?.status === 'in-progress';
	});
	expect(await row()).toMatchObject({ direction: 'outbound', agentId: agent.subject, customerCallSid: phoneCall!.sid });
	return { agentCall, phoneCall: phoneCall!, row, number };
}

/** Who the customer hears and who hears the customer, by label. */
function routing(conference: string, customerSid: string) {
	const { participants } = carrier.engine.audioRouting(conference);
	const label = (sid: string) => participants.find((p) => p.callSid === sid)?.label ?? sid;
	const customer = participants.find((p) => p.callSid === customerSid);
	return {
		labels: participants.map((p) => p.label).sort(),
		customerHears: (customer?.hears ?? []).map(label).sort(),
		heardByCustomer: participants.filter((p) => p.hears.includes(customerSid)).map((p) => p.label).sort(),
		customerHold: customer?.hold ?? null
	};
}

const status = async (who: Agent) => (await h.hot.query(api.agentStatus.mine, {}, who))?.status;
const archiveCall = (callSid: string) => h.testDb.db.select().from(calls).where(eq(calls.callSid, callSid)).then((r) => r[0]!);
const archived = (id: string) => h.testDb.db.select().from(callTransfers).where(eq(callTransfers.id, id)).then((r) => r[0]);

/** The call's segments in order as `kind agent` (by name, '-' for none), after checking all are closed and no party's overlap. */
async function story(callSid: string, names: Record<string, string>): Promise<string[]> {
	const call = await archiveCall(callSid);
	const segments = await h.testDb.db.select().from(callSegments).where(eq(callSegments.callId, call.id)).orderBy(asc(callSegments.startedAt), asc(callSegments.createdAt));
	expect(segments.filter((x) => x.endedAt === null)).toEqual([]);
	const byParty = new Map<string, typeof segments>();
	for (const x of segments) byParty.set(x.agentId ?? '-', [...(byParty.get(x.agentId ?? '-') ?? []), x]);
	for (const own of byParty.values()) for (let i = 1; i < own.length; i++) expect(own[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(own[i - 1]!.endedAt!.getTime());
	return segments.map((x) => `${x.kind} ${x.agentId ? (names[x.agentId] ?? x.agentId) : '-'}`);
}

/** Wait for a promise while the carrier's clock moves (the move into the conference runs on it). */
async function settle<T>(promise: Promise<T>, seconds = 30): Promise<T> {
	let done: { value: T } | undefined;
	let failed: { error: unknown } | undefined;
	promise.then(
		(value) => (done = { value }),
		(error: unknown) => (failed = { error })
	);
	await advance(seconds, () => done !== undefined || failed !== undefined);
	if (failed) throw failed.error;
	return done!.value;
}

describe('call control on an outbound call, through the local carrier', () => {
	it('hold and resume: the customer hears hold music, the agent stays on, talk/hold/talk archived', async () => {
		const olga = await h.addAgent(['sales'], 'Olga Outbound');
		const legs = new Map<string, string>();
		const { agentCall, phoneCall, row } = await outboundCall(olga, legs);
		const me = { id: olga.subject };
		const heldAt = new Date();
		expect(await settle(setCallHold(services, me, { callSid: agentCall.sid, held: true }, heldAt))).toMatchObject({ held: true });
		const conference = `call-${phoneCall.sid}`;
		await advance(10, () => routing(conference, phoneCall.sid).customerHold === true && routing(conference, phoneCall.sid).labels.length === 2);
		expect(routing(conference, phoneCall.sid)).toEqual({ labels: ['agent:' + olga.subject, 'customer'].sort(), customerHears: [], heardByCustomer: [], customerHold: true });
		expect(carrier.engine.audioRouting(conference).participants.find((p) => p.label === 'customer')?.hearsHoldMusic).toBe(true);
		await advance(3);
		expect(carrier.engine.heard(phoneCall.sid).some((line) => line.includes('/audio/hold-music.wav'))).toBe(true);
		expect(agentCall.status()).toBe('open');
		expect(await row()).toMatchObject({ state: 'on-hold' });
		expect(await status(olga)).toBe('busy');

		const resumed = await setCallHold(services, me, { callSid: agentCall.sid, held: false }, new Date(heldAt.getTime() + 20_000));
		expect(resumed).toMatchObject({ held: false, heldSeconds: 20 });
		await advance(10, () => routing(conference, phoneCall.sid).customerHold === false);
		expect(routing(conference, phoneCall.sid)).toEqual({
			labels: ['agent:' + olga.subject, 'customer'].sort(),
			customerHears: ['agent:' + olga.subject],
			heardByCustomer: ['agent:' + olga.subject],
			customerHold: false
		});
		expect(agentCall.status()).toBe('open');
		expect((await row())?.state).toBe('in-progress');

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup');
		expect(await status(olga)).toBe('wrapup');
		expect(carrier.engine.liveCalls).toEqual([]);
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
		expect(await story(agentCall.sid, { [olga.subject]: 'Olga' })).toEqual(['talk Olga', 'hold Olga', 'talk Olga']);
		const kinds = (await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, (await archiveCall(agentCall.sid)).id))).map((e) => e.kind);
		expect(kinds).toEqual(expect.arrayContaining(['hold.started', 'hold.ended']));
	});

	it('cold transfer to another agent: the target answers, customer and target hear each other, the first agent is in wrap-up', async () => {
		const ann = await h.addAgent(['sales'], 'Ann Dialler');
		const bob = await h.addAgent(['nothing'], 'Bob Target');
		const legs = new Map<string, string>();
		answering(bob, legs);
		const { agentCall, phoneCall, row } = await outboundCall(ann, legs);
		const started = await settle(startTransfer(transferDeps(services), { id: ann.subject, name: 'Ann Dialler' }, { callSid: agentCall.sid, kind: 'cold', target: { agentId: bob.subject } }));
		const transfer = () => h.hot.query(api.transfers.get, { transferId: started.transferId }, SYSTEM_IDENTITY);
		await advance(30, async () => (await transfer())?.phase === 'completed');
		expect(legs.get(bob.subject)).toBeTruthy();
		const conference = `call-${phoneCall.sid}`;
		const two = ['agent:' + bob.subject, 'customer'].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === two.join() && routing(conference, phoneCall.sid).customerHold === false);
		expect(routing(conference, phoneCall.sid)).toEqual({ labels: two, customerHears: ['agent:' + bob.subject], heardByCustomer: ['agent:' + bob.subject], customerHold: false });
		expect(phoneCall.status).toBe('in-progress');
		await advance(10, () => agentCall.status() === 'closed');

		expect(await status(ann)).toBe('wrapup');
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, ann)).toMatchObject([{ callSid: handoffCallSid(started.transferId) }]);
		expect(await status(bob)).toBe('busy');
		expect(await h.hot.query(api.callControl.mine, {}, bob)).toMatchObject({ state: 'in-progress' });
		const call = await archiveCall(agentCall.sid);
		expect(await archived(started.transferId)).toMatchObject({ kind: 'cold', fromAgentId: ann.subject, toAgentId: bob.subject, outcome: 'completed', callId: call.id });
		expect((await archived(started.transferId))?.answeredAt).toBeTruthy();
		expect((await archived(started.transferId))?.handedOffAt).toBeTruthy();

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup');
		expect(await status(bob)).toBe('wrapup');
		expect(carrier.engine.liveCalls).toEqual([]);
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
		expect(await story(agentCall.sid, { [ann.subject]: 'Ann', [bob.subject]: 'Bob' })).toEqual(['talk Ann', 'hold -', 'talk Bob']);
	});

	it('warm transfer cancelled: the target is dropped, the customer hears the first agent again', async () => {
		const ann = await h.addAgent(['sales'], 'Ann Warm');
		const bob = await h.addAgent(['nothing'], 'Bob Consulted');
		const legs = new Map<string, string>();
		answering(bob, legs);
		const { agentCall, phoneCall, row } = await outboundCall(ann, legs);
		const deps = transferDeps(services);
		const started = await settle(startTransfer(deps, { id: ann.subject, name: 'Ann Warm' }, { callSid: agentCall.sid, kind: 'warm', target: { agentId: bob.subject } }));
		const transfer = () => h.hot.query(api.transfers.get, { transferId: started.transferId }, SYSTEM_IDENTITY);
		await advance(30, async () => (await transfer())?.phase === 'consulting');
		const conference = `call-${phoneCall.sid}`;
		const three = ['agent:' + ann.subject, 'agent:' + bob.subject, 'customer'].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === three.join() && routing(conference, phoneCall.sid).customerHold === true);
		expect(routing(conference, phoneCall.sid)).toEqual({ labels: three, customerHears: [], heardByCustomer: [], customerHold: true });
		expect(await status(bob)).toBe('busy');

		await moveTransfer(deps, { transferId: started.transferId, event: 'cancel', actorId: ann.subject });
		expect((await transfer())?.phase).toBe('returned');
		const two = ['agent:' + ann.subject, 'customer'].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === two.join() && routing(conference, phoneCall.sid).customerHold === false);
		expect(routing(conference, phoneCall.sid)).toEqual({ labels: two, customerHears: ['agent:' + ann.subject], heardByCustomer: ['agent:' + ann.subject], customerHold: false });
		expect(agentCall.status()).toBe('open');
		expect(await status(bob)).toBe('available');
		expect(await status(ann)).toBe('busy');
		expect(await archived(started.transferId)).toMatchObject({ kind: 'warm', outcome: 'cancelled', fromAgentId: ann.subject, toAgentId: bob.subject });

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup');
		expect(await status(ann)).toBe('wrapup');
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, ann)).toMatchObject([{ callSid: agentCall.sid }]);
		expect(carrier.engine.liveCalls).toEqual([]);
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
		expect(await story(agentCall.sid, { [ann.subject]: 'Ann', [bob.subject]: 'Bob' })).toEqual(['talk Ann', 'hold Ann', 'consult Ann', 'consult Bob', 'talk Ann']);
	});

	it('supervisor whisper: the agent hears the supervisor, the customer does not', async () => {
		const ann = await h.addAgent(['sales'], 'Ann Coached');
		const sue = await h.addAgent(['nothing'], 'Sue Supervisor');
		const legs = new Map<string, string>();
		answering(sue, legs);
		const { agentCall, phoneCall, row } = await outboundCall(ann, legs);
		const supervisor = { id: sue.subject, role: 'supervisor' as const };
		const whispering = await settle(monitorCall(services, supervisor, { callSid: agentCall.sid, mode: 'whisper' }));
		const conference = `call-${phoneCall.sid}`;
		const labels = ['agent:' + ann.subject, 'customer', 'supervisor:' + sue.subject].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === labels.join());
		const parts = carrier.engine.audioRouting(conference).participants;
		const agentPart = parts.find((p) => p.label === 'agent:' + ann.subject)!;
		const supPart = parts.find((p) => p.label === 'supervisor:' + sue.subject)!;
		expect(supPart.callSid).toBe(whispering.participantCallSid);
		expect(agentPart.callSid).toBe(agentCall.sid);
		expect(agentPart.hears).toContain(supPart.callSid);
		expect(routing(conference, phoneCall.sid)).toMatchObject({ customerHears: ['agent:' + ann.subject], heardByCustomer: ['agent:' + ann.subject, 'supervisor:' + sue.subject].sort(), customerHold: false });
		expect((await row())?.listeners).toMatchObject([{ userId: sue.subject, mode: 'whisper', callSid: whispering.participantCallSid }]);

		await stopMonitor(services, supervisor, { callSid: agentCall.sid });
		await advance(10, async () => ((await row())?.listeners ?? []).length === 0 && routing(conference, phoneCall.sid).labels.length === 2);
		expect(agentCall.status()).toBe('open');

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup');
		expect(carrier.engine.liveCalls).toEqual([]);
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
		const kinds = (await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, (await archiveCall(agentCall.sid)).id))).map((e) => e.kind);
		expect(kinds).toEqual(expect.arrayContaining(['monitor.whisper', 'monitor.ended']));
		// Ann's talk goes on under the whisper (a listener does not pause it); Sue's monitor segment is apart.
		expect(await story(agentCall.sid, { [ann.subject]: 'Ann', [sue.subject]: 'Sue' })).toEqual(['talk Ann', 'monitor Sue']);
	});
	it('an outside number added (from our number) and dropped, then a supervisor barges: everyone hears everyone', async () => {
		const ann = await h.addAgent(['sales'], 'Ann Three');
		const sue = await h.addAgent(['nothing'], 'Sue Barges');
		const legs = new Map<string, string>();
		answering(sue, legs);
		const { agentCall, phoneCall, row } = await outboundCall(ann, legs);
		const outside = '+12125559876';
		let outsideCall: PhoneCall | undefined;
		carrier.engine.phone(outside).on('incoming', (call) => {
			outsideCall = call;
			queueMicrotask(() => call.answer());
		});
		const added = await settle(addParticipant(services, { id: ann.subject, role: 'agent' }, { callSid: agentCall.sid, target: { number: outside } }));
		expect(added.label).toBe(`external:${outside}`);
		const conference = `call-${phoneCall.sid}`;
		const three = ['agent:' + ann.subject, 'customer', `external:${outside}`].sort();
		// The carrier's conference and the call's row (its participant-join webhook) both have the outside party.
		await advance(10, async () => routing(conference, phoneCall.sid).labels.join() === three.join() && ((await row())?.participants ?? []).some((p) => p.callSid === added.participantCallSid));
		expect(routing(conference, phoneCall.sid)).toEqual({ labels: three, customerHears: ['agent:' + ann.subject, `external:${outside}`].sort(), heardByCustomer: ['agent:' + ann.subject, `external:${outside}`].sort(), customerHold: false });
		// The outside party sees the number the agent dialled out from, not the softphone's client identity.
		expect(carrier.carrier.fetchCall(outsideCall!.sid).from).toBe(SALES_NUMBER);

		await dropParticipant(services, { id: ann.subject, role: 'agent' }, { callSid: agentCall.sid, participantCallSid: added.participantCallSid });
		const two = ['agent:' + ann.subject, 'customer'].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === two.join());
		expect(agentCall.status()).toBe('open');
		expect(phoneCall.status).toBe('in-progress');

		const supervisor = { id: sue.subject, role: 'supervisor' as const };
		const barging = await settle(monitorCall(services, supervisor, { callSid: agentCall.sid, mode: 'barge' }));
		const withSue = ['agent:' + ann.subject, 'customer', 'supervisor:' + sue.subject].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === withSue.join());
		expect(routing(conference, phoneCall.sid)).toMatchObject({
			customerHears: ['agent:' + ann.subject, 'supervisor:' + sue.subject].sort(),
			heardByCustomer: ['agent:' + ann.subject, 'supervisor:' + sue.subject].sort()
		});
		expect(carrier.engine.audioRouting(conference).participants.find((p) => p.label === 'agent:' + ann.subject)?.hears).toContain(barging.participantCallSid);

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup' && carrier.engine.liveCalls.length === 0);
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
		const kinds = (await h.testDb.db.select().from(callEvents).where(eq(callEvents.callId, (await archiveCall(agentCall.sid)).id))).map((e) => e.kind);
		expect(kinds).toEqual(expect.arrayContaining(['participant.added', 'participant.dropped', 'monitor.barge']));
		expect(await status(ann)).toBe('wrapup');
	});
	it('cold transfer to an outside number: the number rings from our number and answers, customer and number hear each other', async () => {
		const ann = await h.addAgent(['sales'], 'Ann Outside');
		const legs = new Map<string, string>();
		const { agentCall, phoneCall, row } = await outboundCall(ann, legs);
		const outside = '+12125559871';
		let outsideCall: PhoneCall | undefined;
		carrier.engine.phone(outside).on('incoming', (call) => {
			outsideCall = call;
			queueMicrotask(() => call.answer());
		});
		const started = await settle(startTransfer(transferDeps(services), { id: ann.subject, name: 'Ann Outside' }, { callSid: agentCall.sid, kind: 'cold', target: { number: outside } }));
		const transfer = () => h.hot.query(api.transfers.get, { transferId: started.transferId }, SYSTEM_IDENTITY);
		await advance(30, async () => (await transfer())?.phase === 'completed');
		const conference = `call-${phoneCall.sid}`;
		const two = ['customer', `external:${outside}`].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === two.join() && routing(conference, phoneCall.sid).customerHold === false);
		expect(routing(conference, phoneCall.sid)).toEqual({ labels: two, customerHears: [`external:${outside}`], heardByCustomer: [`external:${outside}`], customerHold: false });
		expect(carrier.carrier.fetchCall(outsideCall!.sid).from).toBe(SALES_NUMBER);
		await advance(10, () => agentCall.status() === 'closed');
		expect(await status(ann)).toBe('wrapup');
		expect(await archived(started.transferId)).toMatchObject({ kind: 'cold', outcome: 'completed', toNumber: outside, callId: (await archiveCall(agentCall.sid)).id });

		phoneCall.hangUp();
		await advance(10, () => carrier.engine.liveCalls.length === 0);
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
		expect((await row())?.state ?? 'wrapup').toBe('wrapup');
	});

	it("cold transfer to a queue: the customer waits in that line, the queue's agent picks up and talks with them", async () => {
		const ann = await h.addAgent(['sales'], 'Ann Requeue');
		const bob = await h.addAgent(['qout'], 'Bob Queue');
		const legs = new Map<string, string>();
		answering(bob, legs);
		await h.hot.mutation(api.agentStatus.setMine, { status: 'away' }, bob);
		await h.addQueue('+14155550177', 'qout', ['qout']);
		const { agentCall, phoneCall } = await outboundCall(ann, legs);
		const started = await settle(startTransfer(transferDeps(services), { id: ann.subject, name: 'Ann Requeue' }, { callSid: agentCall.sid, kind: 'cold', target: { queue: 'qout' } }));
		expect(started).toMatchObject({ phase: 'requeued', outcome: 'queued' });
		const inLine = () => carrier.engine.scenario.state().queues.find((q) => q.name === 'qout')?.callers.includes(phoneCall.sid) ?? false;
		await advance(10, inLine);
		await advance(10, () => agentCall.status() === 'closed');
		expect(await status(ann)).toBe('wrapup');
		expect(phoneCall.status).toBe('in-progress');

		// Bob comes back: the caller is offered to him, he accepts and talks with them.
		await h.hot.mutation(api.agentStatus.setMine, { status: 'available' }, bob);
		const bobs = () => h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY);
		await advance(30, async () => {
			const r = await bobs();
			return r?.agentId === bob.subject && r.state === 'in-progress' && Boolean(r.agentCallSid);
		});
		expect(await status(bob)).toBe('busy');
		expect(carrier.carrier.fetchCall((await bobs())!.agentCallSid!).status).toBe('in-progress');
		// One live call for this customer on the wallboard: Bob's, not also Ann's left under the transfer's placeholder.
		const board = await h.hot.query(api.callBoard.board, {}, { subject: 'm', role: 'manager', name: 'M' });
		expect(board.active.filter((c) => c.state !== 'wrapup' && (c.callSid === agentCall.sid || c.callSid === phoneCall.sid)).map((c) => c.agentId)).toEqual([bob.subject]);

		phoneCall.hangUp();
		// The customer's hang-up reaches the call Bob picked up (keyed by their leg, as an inbound caller's), not only Ann's.
		await advance(10, async () => (await bobs())?.state === 'wrapup' && carrier.engine.liveCalls.length === 0);
		expect(await status(bob)).toBe('wrapup');
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, bob)).toMatchObject([{ callSid: phoneCall.sid }]);
		expect(await archiveCall(phoneCall.sid)).toMatchObject({ agentId: bob.subject, endedAt: expect.any(Date) });
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
	});
});
