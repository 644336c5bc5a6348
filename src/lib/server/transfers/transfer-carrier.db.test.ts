/**
 * Transfers through the local carrier's real conferences: a live inbound call (real webhooks,
 * real hot engine, PGlite), moved into its conference by the transfer, the target's softphone
 * device ringing and answering, who hears whom per the carrier's audio routing, and the archive.
 */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { LocalTelephony } from '../adapters/telephony';
import { startHarness, type Harness } from '../adapters/telephony/carrier/test-switchboard';
import { handleCarrierHttp } from '../adapters/telephony/carrier/http';
import { agentClientIdentity } from '../calls/caller-number';
import { createVoiceHarness, type VoiceHarness, answerCarrierWith } from '../calls/test-harness';
import { advanceCarrier, answeringSoftphone } from '../calls/test-carrier-kit';
import type { VoiceServices } from '../calls/voice-services';
import { SYSTEM_IDENTITY } from '../live/hot';
import { setLogLevel } from '../log';
import { callTransfers } from '../db/schema/transfers';
import { callSegments } from '../db/schema/call-control';
import { calls } from '../db/schema/calls';
import { callLog } from '../db/schema/reporting';
import { handleTimeByAgent } from '../call-control/record-segment';
import { endWrapupJob } from '../calls/record-call-activity';
import { wrapUpCall } from '../calls/wrap-up-call';
import { handoffCallSid, joinedTargetCallSid } from '$lib/transfers/handoff';
import { moveTransfer } from './move-transfer';
import { startTransfer } from './start-transfer';
import { TRANSFER_ANNOUNCEMENT } from './transfer-carrier';
import { transferDeps } from './transfer-services';

let carrier: Harness;
let h: VoiceHarness;
let services: VoiceServices;
const answered: number[] = [];

beforeAll(async () => {
	carrier = await startHarness();
	h = await createVoiceHarness({ telephony: new LocalTelephony(carrier.carrier, (request, path) => handleCarrierHttp(carrier.engine, request, path)) });
	setLogLevel('silent');
	services = { ...h.services, config: { ...h.config, publicBaseUrl: carrier.server.url } };
	answerCarrierWith(carrier, services, (status) => answered.push(status));
}, 60_000);
afterAll(async () => {
	await carrier.close();
	await h.close();
});

/** The carrier's clock, a second at a time, until `until` holds (test-carrier-kit.ts). */
const advance = (seconds: number, until: () => boolean | Promise<boolean>) => advanceCarrier(carrier, seconds, until);

type Agent = Awaited<ReturnType<VoiceHarness['addAgent']>>;

/** A softphone that answers whatever rings it (test-carrier-kit.ts); `legs` gets the leg each agent took. */
const answering = (who: Agent, legs: Map<string, string>) => answeringSoftphone(carrier, h.hot, who, legs);

let customers = 0;
/** A customer call answered by `first`, both agents' devices answering. */
async function liveCall(number: string, queue: string, first: Agent, target: Agent) {
	const legs = new Map<string, string>();
	answering(first, legs);
	answering(target, legs);
	await h.addQueue(number, queue, [queue]);
	const phoneCall = carrier.engine.phone(`+1303555${String(1000 + ++customers)}`).call(number);
	const row = () => h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY);
	await advance(20, async () => Boolean((await row())?.agentCallSid));
	return { phoneCall, legs, row };
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
const archived = (id: string) => h.testDb.db.select().from(callTransfers).where(eq(callTransfers.id, id)).then((r) => r[0]);
const archiveCall = (callSid: string) => h.testDb.db.select().from(calls).where(eq(calls.callSid, callSid)).then((r) => r[0]!);

/**
 * The call's story once it ended: its segments in order as `kind agent` (agent by name, '-' for
 * none), after checking every one is closed and no party's segments overlap.
 */
async function story(callSid: string, names: Record<string, string>): Promise<string[]> {
	const call = await archiveCall(callSid);
	const segments = await h.testDb.db.select().from(callSegments).where(eq(callSegments.callId, call.id)).orderBy(asc(callSegments.startedAt), asc(callSegments.createdAt));
	expect(segments.filter((x) => x.endedAt === null)).toEqual([]);
	const byParty = new Map<string, typeof segments>();
	for (const x of segments) byParty.set(x.agentId ?? '-', [...(byParty.get(x.agentId ?? '-') ?? []), x]);
	for (const own of byParty.values()) for (let i = 1; i < own.length; i++) expect(own[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(own[i - 1]!.endedAt!.getTime());
	return segments.map((x) => `${x.kind} ${x.agentId ? (names[x.agentId] ?? x.agentId) : '-'}`);
}
/** Whether the agent has a talk segment open on the call. */
async function openTalk(callSid: string, agentId: string): Promise<boolean> {
	const call = await archiveCall(callSid);
	const segments = await h.testDb.db.select().from(callSegments).where(eq(callSegments.callId, call.id));
	return segments.some((x) => x.kind === 'talk' && x.agentId === agentId && x.endedAt === null);
}
const identity = (who: Agent) => ({ subject: who.subject, role: 'agent' as const, name: who.name ?? '' });

describe('transfers through the local carrier', () => {
	it('cold: the call moves into its conference, the target rings and answers, the first agent leaves, customer and target hear each other', async () => {
		const ann = await h.addAgent(['cold'], 'Ann First');
		const bob = await h.addAgent(['nothing'], 'Bob Target');
		const { phoneCall, legs, row } = await liveCall('+14155550161', 'cold', ann, bob);
		const deps = transferDeps(services);
		const started = await startTransfer(deps, { id: ann.subject, name: 'Ann First' }, { callSid: phoneCall.sid, kind: 'cold', target: { agentId: bob.subject }, note: 'wants a refund' });
		const transfer = () => h.hot.query(api.transfers.get, { transferId: started.transferId }, SYSTEM_IDENTITY);
		await advance(30, async () => (await transfer())?.phase === 'completed');
		expect(legs.get(bob.subject)).toBeTruthy();
		const conference = `call-${phoneCall.sid}`;
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === ['agent:' + bob.subject, 'customer'].sort().join());
		expect(routing(conference, phoneCall.sid)).toEqual({
			labels: ['agent:' + bob.subject, 'customer'].sort(),
			customerHears: ['agent:' + bob.subject],
			heardByCustomer: ['agent:' + bob.subject],
			customerHold: false
		});
		expect(phoneCall.status).toBe('in-progress');
		expect(await archived(started.transferId)).toMatchObject({ kind: 'cold', fromAgentId: ann.subject, toAgentId: bob.subject, outcome: 'completed', note: 'wants a refund' });
		expect((await archived(started.transferId))?.answeredAt).toBeTruthy();
		expect((await archived(started.transferId))?.callId).toBeTruthy();

		expect(await status(bob)).toBe('busy');
		// Ann left the call with the transfer: she is in wrap-up now, on her hand-off, while the caller talks with Bob.
		expect(await status(ann)).toBe('wrapup');
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, ann)).toMatchObject([{ callSid: handoffCallSid(started.transferId) }]);
		expect(await h.hot.query(api.callControl.mine, {}, ann)).toBeNull();
		expect(await h.hot.query(api.callControl.mine, {}, bob)).toMatchObject({ callSid: phoneCall.sid, state: 'in-progress' });
		expect((await archived(started.transferId))?.handedOffAt).toBeTruthy();

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup');
		// The caller hanging up ends Bob's call like any other: wrap-up, on the call, with the queue's countdown.
		expect(await status(bob)).toBe('wrapup');
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, bob)).toMatchObject([{ callSid: phoneCall.sid, wrapupEndsAt: expect.any(Number) }]);
		expect(await h.hot.query(api.transfers.openForCall, { callSid: phoneCall.sid }, SYSTEM_IDENTITY)).toBeNull();
		expect(carrier.engine.liveCalls).toEqual([]);
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);

		// The archive: talk with Ann, the caller held while Bob rang (Ann gone), talk with Bob.
		expect(await story(phoneCall.sid, { [ann.subject]: 'Ann', [bob.subject]: 'Bob' })).toEqual(['talk Ann', 'hold -', 'talk Bob']);
		// Each wraps up their own part: Bob the call, Ann her hand-off; not each other's.
		await expect(wrapUpCall(h.services, identity(ann), { callSid: phoneCall.sid, disposition: 'Resolved', notes: '' })).rejects.toMatchObject({ code: 'NOT_YOUR_CALL' });
		await wrapUpCall(h.services, identity(bob), { callSid: phoneCall.sid, disposition: 'Resolved', notes: 'refunded' });
		expect(await status(bob)).toBe('available');
		await wrapUpCall(h.services, identity(ann), { callSid: handoffCallSid(started.transferId), disposition: 'Transferred', notes: 'to billing' });
		expect(await status(ann)).toBe('available');
		await expect(wrapUpCall(h.services, identity(ann), { callSid: handoffCallSid(started.transferId), disposition: 'Transferred', notes: '' })).rejects.toMatchObject({ code: 'ALREADY_WRAPPED_UP' });
		expect(await archived(started.transferId)).toMatchObject({ fromDisposition: 'Transferred', fromNotes: 'to billing', fromWrappedUpAt: expect.any(Date) });
		expect(await archiveCall(phoneCall.sid)).toMatchObject({ disposition: 'Resolved', wrappedUpAt: expect.any(Date) });

		// Reports: each agent handled the call once, with their own talk; the transfer counts for Ann.
		const logged = await h.testDb.db.select().from(callLog).where(eq(callLog.callId, (await archiveCall(phoneCall.sid)).id));
		const of = (type: string) => logged.filter((e) => e.type === type).map((e) => e.agentId).sort();
		expect(of('ended')).toEqual([ann.subject, bob.subject].sort());
		expect(of('wrapup_ended')).toEqual([ann.subject, bob.subject].sort());
		expect(of('transferred')).toEqual([ann.subject]);
		const times = await handleTimeByAgent(h.testDb.db, new Date(0), new Date(Date.UTC(2100, 0, 1)));
		expect(times.filter((t) => t.agentId === ann.subject || t.agentId === bob.subject).map((t) => t.calls)).toEqual([1, 1]);
	});
	/** A warm transfer to its consult: the customer held hearing hold music, the two agents talking. */
	async function consult(number: string, queue: string, names: [string, string]) {
		const ann = await h.addAgent([queue], names[0]);
		const bob = await h.addAgent(['nothing'], names[1]);
		const call = await liveCall(number, queue, ann, bob);
		const deps = transferDeps(services);
		const started = await startTransfer(deps, { id: ann.subject, name: names[0] }, { callSid: call.phoneCall.sid, kind: 'warm', target: { agentId: bob.subject } });
		const transfer = () => h.hot.query(api.transfers.get, { transferId: started.transferId }, SYSTEM_IDENTITY);
		await advance(30, async () => (await transfer())?.phase === 'consulting');
		const conference = `call-${call.phoneCall.sid}`;
		const labels = ['agent:' + ann.subject, 'agent:' + bob.subject, 'customer'].sort();
		await advance(10, () => routing(conference, call.phoneCall.sid).labels.join() === labels.join() && routing(conference, call.phoneCall.sid).customerHold === true);
		expect(routing(conference, call.phoneCall.sid)).toEqual({ labels, customerHears: [], heardByCustomer: [], customerHold: true });
		const agents = carrier.engine.audioRouting(conference).participants.filter((p) => p.label !== 'customer');
		expect(agents.map((p) => p.hears.length)).toEqual([1, 1]);
		expect(carrier.engine.audioRouting(conference).participants.find((p) => p.label === 'customer')?.hearsHoldMusic).toBe(true);
		expect(await status(bob)).toBe('busy');
		return { ...call, ann, bob, deps, started, transfer, conference };
	}

	it('warm, then complete: the consult holds the customer, complete hands them to the target', async () => {
		const { phoneCall, row, ann, bob, deps, started, transfer, conference } = await consult('+14155550162', 'warmdone', ['Ann Warm', 'Bob Consulted']);
		await moveTransfer(deps, { transferId: started.transferId, event: 'complete', actorId: ann.subject });
		expect((await transfer())?.phase).toBe('completed');
		const two = ['agent:' + bob.subject, 'customer'].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === two.join() && routing(conference, phoneCall.sid).customerHold === false);
		expect(routing(conference, phoneCall.sid)).toEqual({ labels: two, customerHears: ['agent:' + bob.subject], heardByCustomer: ['agent:' + bob.subject], customerHold: false });
		await expect(moveTransfer(deps, { transferId: started.transferId, event: 'complete', actorId: ann.subject })).rejects.toMatchObject({ code: 'TRANSFER_FINISHED' });
		expect(await archived(started.transferId)).toMatchObject({ kind: 'warm', outcome: 'completed', fromAgentId: ann.subject, toAgentId: bob.subject });
		expect((await archived(started.transferId))?.answeredAt).toBeTruthy();

		// Ann is released into wrap-up as she completes, not when the caller hangs up.
		expect(await status(ann)).toBe('wrapup');
		expect(await status(bob)).toBe('busy');

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup');
		expect(await status(bob)).toBe('wrapup');
		expect(carrier.engine.liveCalls).toEqual([]);
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
		expect(await story(phoneCall.sid, { [ann.subject]: 'Ann', [bob.subject]: 'Bob' })).toEqual(['talk Ann', 'hold Ann', 'consult Ann', 'consult Bob', 'talk Bob']);
		// The queue's wrap-up time runs out for both, each on their own wrap-up.
		await endWrapupJob(h.services, { callSid: handoffCallSid(started.transferId) });
		await endWrapupJob(h.services, { callSid: phoneCall.sid });
		expect([await status(ann), await status(bob)]).toEqual(['available', 'available']);
		expect(await archived(started.transferId)).toMatchObject({ fromReadyAt: expect.any(Date) });
	});

	it('warm, then cancel: the target is dropped and the customer hears the first agent again', async () => {
		const { phoneCall, row, ann, bob, deps, started, transfer, conference } = await consult('+14155550163', 'warmback', ['Ann Back', 'Bob Dropped']);
		await moveTransfer(deps, { transferId: started.transferId, event: 'cancel', actorId: ann.subject });
		expect((await transfer())?.phase).toBe('returned');
		const two = ['agent:' + ann.subject, 'customer'].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === two.join() && routing(conference, phoneCall.sid).customerHold === false);
		expect(routing(conference, phoneCall.sid)).toEqual({ labels: two, customerHears: ['agent:' + ann.subject], heardByCustomer: ['agent:' + ann.subject], customerHold: false });
		expect(await status(bob)).toBe('available');
		expect(await status(ann)).toBe('busy');
		expect(await archived(started.transferId)).toMatchObject({ kind: 'warm', outcome: 'cancelled', toAgentId: bob.subject });

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup');
		expect(await status(ann)).toBe('wrapup');
		expect(carrier.engine.liveCalls).toEqual([]);
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
		// Back to talk with Ann after the consult; the call and its wrap-up stay hers.
		expect(await story(phoneCall.sid, { [ann.subject]: 'Ann', [bob.subject]: 'Bob' })).toEqual(['talk Ann', 'hold Ann', 'consult Ann', 'consult Bob', 'talk Ann']);
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, ann)).toMatchObject([{ callSid: phoneCall.sid }]);
	});

	it('warm, then join all three: a conference segment for each agent until the caller hangs up', async () => {
		const { phoneCall, row, ann, bob, deps, started, transfer, conference } = await consult('+14155550164', 'warmjoin', ['Ann Joins', 'Bob Joined']);
		await moveTransfer(deps, { transferId: started.transferId, event: 'join-all', actorId: ann.subject });
		expect((await transfer())?.phase).toBe('joined');
		const three = ['agent:' + ann.subject, 'agent:' + bob.subject, 'customer'].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === three.join() && routing(conference, phoneCall.sid).customerHold === false);
		expect([await status(ann), await status(bob)]).toEqual(['busy', 'busy']);

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup');
		expect(await status(ann)).toBe('wrapup');
		expect(carrier.engine.liveCalls).toEqual([]);
		expect(await story(phoneCall.sid, { [ann.subject]: 'Ann', [bob.subject]: 'Bob' })).toEqual([
			'talk Ann',
			'hold Ann',
			'consult Ann',
			'consult Bob',
			'conference Ann',
			'conference Bob'
		]);
		// Both were on the call at its end: both wrap up, Ann the call (hers), Bob his part on the transfer.
		const bobs = joinedTargetCallSid(started.transferId);
		expect(await status(bob)).toBe('wrapup');
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, bob)).toMatchObject([{ callSid: bobs, handoffOf: phoneCall.sid }]);
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, ann)).toMatchObject([{ callSid: phoneCall.sid }]);
		await expect(wrapUpCall(h.services, identity(ann), { callSid: bobs, disposition: 'Joined', notes: '' })).rejects.toMatchObject({ code: 'NOT_YOUR_CALL' });
		await wrapUpCall(h.services, identity(bob), { callSid: bobs, disposition: 'Joined', notes: 'three-way' });
		expect(await status(bob)).toBe('available');
		expect(await archived(started.transferId)).toMatchObject({ toDisposition: 'Joined', toNotes: 'three-way', toWrappedUpAt: expect.any(Date), toEndedAt: expect.any(Date) });
		await wrapUpCall(h.services, identity(ann), { callSid: phoneCall.sid, disposition: 'Resolved', notes: '' });
		expect(await archiveCall(phoneCall.sid)).toMatchObject({ disposition: 'Resolved' });
		expect(await status(ann)).toBe('available');
		const wrapups = await h.testDb.db.select().from(callLog).where(eq(callLog.callId, (await archiveCall(phoneCall.sid)).id));
		expect(wrapups.filter((e) => e.type === 'wrapup_ended').map((e) => e.agentId).sort()).toEqual([ann.subject, bob.subject].sort());
	});

	it('cold to an agent who never answers: the caller goes back in line, the agent who takes them has the call from then', async () => {
		const ann = await h.addAgent(['blind'], 'Ann Blind');
		const bob = await h.addAgent(['nothing'], 'Bob Away');
		const legs = new Map<string, string>();
		answering(ann, legs);
		carrier.engine.device(agentClientIdentity(bob.subject)).register();
		await h.addQueue('+14155550167', 'blind', ['blind']);
		const phoneCall = carrier.engine.phone('+13035559911').call('+14155550167');
		const row = () => h.hot.query(api.callControl.byLeg, { legSid: phoneCall.sid }, SYSTEM_IDENTITY);
		await advance(20, async () => Boolean((await row())?.agentCallSid));
		const deps = transferDeps(services);
		const started = await startTransfer(deps, { id: ann.subject, name: 'Ann Blind' }, { callSid: phoneCall.sid, kind: 'cold', target: { agentId: bob.subject } });
		expect(started).toMatchObject({ phase: 'blind_ringing' });
		// The wallboard says where the call is going while it rings.
		const board = () => h.hot.query(api.callBoard.board, {}, { subject: 'm', role: 'manager', name: 'M' });
		expect((await board()).active.find((c) => c.callSid === phoneCall.sid)).toMatchObject({ transferringTo: 'Transferring to Bob Away' });
		await moveTransfer(deps, { transferId: started.transferId, event: 'target-timeout' });
		const transfer = await h.hot.query(api.transfers.get, { transferId: started.transferId }, SYSTEM_IDENTITY);
		expect(transfer?.phase).toBe('requeued');

		const cy = await h.addAgent(['blind'], 'Cy Next');
		answering(cy, legs);
		await advance(30, async () => (await row())?.agentId === cy.subject && (await status(cy)) === 'busy');
		expect((await board()).active.filter((c) => c.callSid === phoneCall.sid).map((c) => c.agentId)).toEqual([cy.subject]);
		expect(await openTalk(phoneCall.sid, cy.subject)).toBe(true);

		phoneCall.hangUp();
		await advance(10, async () => (await status(cy)) === 'wrapup');
		await advance(10, () => carrier.engine.liveCalls.length === 0);
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
		expect(await story(phoneCall.sid, { [ann.subject]: 'Ann', [cy.subject]: 'Cy' })).toEqual(['talk Ann', 'hold -', 'talk Cy']);
		const log = await h.testDb.db.select().from(callLog).where(eq(callLog.callId, (await archiveCall(phoneCall.sid)).id));
		expect(log.filter((e) => e.type === 'ended').map((e) => e.agentId).sort()).toEqual([ann.subject, cy.subject].sort());
		expect(log.find((e) => e.type === 'ended' && e.agentId === cy.subject)?.seconds ?? Infinity).toBeLessThan((await archiveCall(phoneCall.sid)).talkSeconds ?? 0);
		await wrapUpCall(h.services, identity(cy), { callSid: phoneCall.sid, disposition: 'Resolved', notes: '' });
		expect(await status(cy)).toBe('available');
	});

	it('join all, then the target hangs up first: his part ends into wrap-up at once, the caller and the first agent go on', async () => {
		const { phoneCall, row, ann, bob, deps, started, legs, conference } = await consult('+14155550168', 'warmleave', ['Ann Stays', 'Bob Leaves']);
		await moveTransfer(deps, { transferId: started.transferId, event: 'join-all', actorId: ann.subject });
		const three = ['agent:' + ann.subject, 'agent:' + bob.subject, 'customer'].sort();
		await advance(10, () => routing(conference, phoneCall.sid).labels.join() === three.join() && routing(conference, phoneCall.sid).customerHold === false);
		carrier.engine.hangUp(legs.get(bob.subject)!);
		await advance(10, async () => (await status(bob)) === 'wrapup');
		const bobs = joinedTargetCallSid(started.transferId);
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, bob)).toMatchObject([{ callSid: bobs, wrapupEndsAt: expect.any(Number) }]);
		expect((await archived(started.transferId))?.toEndedAt).toBeTruthy();
		expect([await status(ann), (await row())?.state]).toEqual(['busy', 'in-progress']);
		// His wrap-up time runs out by itself like any call's.
		await endWrapupJob(h.services, { callSid: bobs });
		expect(await status(bob)).toBe('available');
		expect((await archived(started.transferId))?.toReadyAt).toBeTruthy();

		phoneCall.hangUp();
		await advance(10, async () => (await row())?.state === 'wrapup');
		expect(await status(ann)).toBe('wrapup');
		expect(await status(bob)).toBe('available');
		expect(await story(phoneCall.sid, { [ann.subject]: 'Ann', [bob.subject]: 'Bob' })).toEqual(['talk Ann', 'hold Ann', 'consult Ann', 'consult Bob', 'conference Ann', 'conference Bob', 'talk Ann']);
	});

	it('to a queue with nobody free, from a plain bridge: the transfer goes through, the caller waits in that line told so, the first agent is off the call', async () => {
		const ann = await h.addAgent(['qfrom'], 'Ann Queue');
		const bob = await h.addAgent(['nothing'], 'Bob Idle');
		const { phoneCall, row } = await liveCall('+14155550166', 'qfrom', ann, bob);
		await h.addQueue('+14155550165', 'qto', ['qto']);
		expect((await row())?.controlState ?? null).toBeNull();
		// It used to answer CARRIER_FAILED after putting the caller in line: the first agent's leg, already
		// hung up by the redirect, was then moved into a conference to be dropped from it.
		const started = await startTransfer(transferDeps(services), { id: ann.subject, name: 'Ann Queue' }, { callSid: phoneCall.sid, kind: 'cold', target: { queue: 'qto' } });
		expect(started).toMatchObject({ phase: 'requeued', outcome: 'queued' });
		const inLine = () => carrier.engine.scenario.state().queues.find((q) => q.name === 'qto')?.callers.includes(phoneCall.sid) ?? false;
		await advance(10, inLine);
		expect(carrier.engine.heard(phoneCall.sid)).toContain(TRANSFER_ANNOUNCEMENT);
		expect(phoneCall.status).toBe('in-progress');
		expect(await archived(started.transferId)).toMatchObject({ kind: 'cold', outcome: 'queued', toQueue: 'qto' });

		// Cy comes free for that line and takes the caller: the call is hers now, one row for it, her own talk.
		const cy = await h.addAgent(['qto'], 'Cy Picks');
		answering(cy, new Map());
		await advance(30, async () => (await row())?.agentId === cy.subject && (await status(cy)) === 'busy');
		const rows = await h.hot.query(api.callBoard.board, {}, { subject: 'm', role: 'manager', name: 'M' });
		expect(rows.active.filter((c) => c.callSid === phoneCall.sid).map((c) => c.agentId)).toEqual([cy.subject]);
		expect(await openTalk(phoneCall.sid, cy.subject)).toBe(true);

		phoneCall.hangUp();
		await advance(10, () => carrier.engine.liveCalls.length === 0);
		await advance(10, async () => (await status(cy)) === 'wrapup');
		expect(answered.filter((s) => s !== 200 && s !== 204)).toEqual([]);
		expect(await story(phoneCall.sid, { [ann.subject]: 'Ann', [cy.subject]: 'Cy' })).toEqual(['talk Ann', 'talk Cy']);
		const log = await h.testDb.db.select().from(callLog).where(eq(callLog.callId, (await archiveCall(phoneCall.sid)).id));
		// Ann's part ended at the hand-off (keyed by the transfer); the call's end is Cy's, from her pickup.
		expect(log.filter((e) => e.type === 'ended').map((e) => [e.agentId, e.key]).sort()).toEqual([[ann.subject, started.transferId], [cy.subject, '']].sort());
		const cysEnd = log.find((e) => e.type === 'ended' && e.agentId === cy.subject);
		// From her pickup, not from Ann's answer (the whole call's talk time).
		expect(cysEnd?.seconds ?? Infinity).toBeLessThan((await archiveCall(phoneCall.sid)).talkSeconds ?? 0);
		await expect(wrapUpCall(h.services, identity(ann), { callSid: phoneCall.sid, disposition: 'Billing', notes: '' })).rejects.toMatchObject({ code: 'NOT_YOUR_CALL' });
		await wrapUpCall(h.services, identity(cy), { callSid: phoneCall.sid, disposition: 'Billing', notes: '' });
		expect(await status(cy)).toBe('available');
		const times = await handleTimeByAgent(h.testDb.db, new Date(0), new Date(Date.UTC(2100, 0, 1)));
		expect(times.find((x) => x.agentId === cy.subject)).toBeTruthy();
	});
});
