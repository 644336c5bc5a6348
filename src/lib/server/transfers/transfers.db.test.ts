/**
 * Transfers through the real local engine (convex/ functions in the worker LIVE=local runs) and
 * the archive (PGlite), with a recording fake for the carrier: the accept/cancel race 200 times,
 * and every bad input refused with nothing half written and the call kept.
 */
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { api } from '$convex/_generated/api';
import { LocalBroadcast } from '../adapters/broadcast/local';
import { makeStaff } from '../auth/test-helpers';
import { recordConsent } from '../compliance/record-consent';
import { voiceQueues } from '../db/schema/calls';
import { callTransfers } from '../db/schema/transfers';
import { createTestDb, type TestDb } from '../db/test-db';
import { AppError } from '../errors';
import { createLocalHotState, SYSTEM_IDENTITY, type HotState, type Identity } from '../live/hot';
import { DEFAULT_RULE_SET } from '../outbound/rule-set';
import { moveTransfer } from './move-transfer';
import { startTransfer } from './start-transfer';
import type { ConferenceRef, TransferCarrier } from './transfer-carrier';
import type { TransferDeps } from './transfer-deps';
import { transferChannel } from './transfer-notices';
import { handoffCallSid } from '$lib/transfers/handoff';

/** Records what the transfer asked of the carrier. */
class FakeCarrier implements TransferCarrier {
	ops: string[] = [];
	failAdd = false;
	private n = 0;
	ensureConference(callSid: string): Promise<ConferenceRef> {
		this.ops.push(`ensure ${callSid}`);
		return Promise.resolve({ conferenceName: `call-cust-${callSid}`, conferenceSid: `CF-${callSid}`, customerCallSid: `cust-${callSid}`, agentCallSid: callSid });
	}
	addParticipant(conference: string, input: { to: string; label: string }) {
		this.ops.push(`add ${input.label}`);
		if (this.failAdd) return Promise.reject(new Error('20404'));
		return Promise.resolve({ callSid: `leg-${++this.n}`, conferenceSid: `CF-${conference}` });
	}
	updateParticipant(_sid: string, callSid: string, input: { hold: boolean }) {
		this.ops.push(`${input.hold ? 'hold' : 'unhold'} ${callSid}`);
		return Promise.resolve();
	}
	removeParticipant(_sid: string, callSid: string) {
		this.ops.push(`remove ${callSid}`);
		return Promise.resolve();
	}
	endConference(sid: string) {
		this.ops.push(`end ${sid}`);
		return Promise.resolve();
	}
	redirect(callSid: string, twiml: string) {
		this.ops.push(`redirect ${callSid} ${/<Enqueue[^>]*>([^<]+)</.exec(twiml)?.[1] ?? '?'}`);
		return Promise.resolve();
	}
}

/** 15:00 in New York; and 03:00, outside every calling window. */
const REPS = Number(process.env.TRANSFER_RACE_REPS ?? 200);
const AFTERNOON = new Date('2026-12-07T20:00:00Z');
const NIGHT = new Date('2026-12-07T08:00:00Z');

let t: TestDb;
let hot: HotState;
let carrier: FakeCarrier;
let deps: TransferDeps;
let ann: { id: string; name: string };
let bob: { id: string; name: string };
let cy: { id: string; name: string };
const me = (u: { id: string; name: string }): Identity => ({ subject: u.id, role: 'agent', name: u.name });

beforeAll(async () => {
	t = await createTestDb();
	hot = await createLocalHotState();
	carrier = new FakeCarrier();
	deps = { db: t.db, hot, broadcast: new LocalBroadcast(), carrier, config: { outbound: { rules: DEFAULT_RULE_SET, clockStart: AFTERNOON } } };
	[ann, bob, cy] = [await makeStaff(t.db), await makeStaff(t.db), await makeStaff(t.db)];
	await t.db.insert(voiceQueues).values([
		{ number: '+14155550100', name: 'sales', requiredSkills: ['sales'] },
		{ number: '+14155550101', name: 'support', requiredSkills: [] }
	]);
	await hot.mutation(api.agentStatus.hydrate, { agents: [ann, bob, cy].map((u) => ({ userId: u.id, name: u.name, role: 'agent' as const })), removeMissing: false }, SYSTEM_IDENTITY);
	for (const u of [ann, bob]) {
		await hot.mutation(api.agentStatus.heartbeat, { softphone: 'ready' }, me(u));
		await hot.mutation(api.agentStatus.setMine, { status: 'available' }, me(u));
	}
}, 60_000);
afterAll(async () => {
	await hot.close();
	await t.close();
});

let calls = 0;
const open = new Set<string>();
afterEach(async () => {
	for (const callSid of open) await endAnnCall(callSid).catch(() => undefined);
	open.clear();
});
/** A fresh live call of Ann's (her softphone's leg), ended after the test if the test did not. */
async function annOnCall(): Promise<string> {
	const callSid = `CA${(++calls).toString(16).padStart(32, '0')}`;
	const claimed = await hot.mutation(api.activeCalls.claimDial, { callSid, agentId: ann.id, number: `+1212555${String(1000 + calls)}`, from: '+14155550100' }, SYSTEM_IDENTITY);
	expect(claimed).toEqual({ ok: true });
	open.add(callSid);
	return callSid;
}

/** The call ends; Ann finishes whatever wrap-up she has: the call's, or her hand-off's when a transfer took her off it. */
async function endAnnCall(callSid: string) {
	open.delete(callSid);
	await hot.mutation(api.callWrapup.completeCall, { callSid }, SYSTEM_IDENTITY);
	for (const w of await hot.query(api.callWrapup.myWrapups, {}, me(ann))) await hot.mutation(api.callWrapup.finishWrapup, { callSid: w.callSid, agentId: ann.id }, SYSTEM_IDENTITY);
}

const archived = (id: string) => t.db.select().from(callTransfers).where(eq(callTransfers.id, id)).then((r) => r[0]);
const status = async (u: { id: string }) => (await hot.query(api.agentStatus.mine, {}, me(u as { id: string; name: string })))?.status;
const codeOf = (p: Promise<unknown>) =>
	p.then(
		() => 'ok',
		(e: unknown) => (e instanceof AppError ? e.code : String(e))
	);

describe('transfers: the accept/cancel race', () => {
	it(`the target accepting while the first agent cancels, ${REPS} times: one outcome in hot state, archive and carrier`, async () => {
		const orders = { acceptFirst: 0, cancelFirst: 0 };
		for (let r = 0; r < REPS; r++) {
			// Bob's browser keeps beating, as a real one does every ~15 s.
			await hot.mutation(api.agentStatus.heartbeat, { softphone: r % 2 ? 'ready' : 'registering' }, me(bob));
			await hot.mutation(api.agentStatus.heartbeat, { softphone: 'ready' }, me(bob));
			const callSid = await annOnCall();
			const row = await startTransfer(deps, ann, { callSid, kind: 'warm', target: { agentId: bob.id }, note: 'race' });
			carrier.ops = [];
			const [accept, cancel] = await Promise.all([
				codeOf(moveTransfer(deps, { transferId: row.transferId, event: 'target-answered', actorId: bob.id })),
				codeOf(moveTransfer(deps, { transferId: row.transferId, event: 'cancel', actorId: ann.id }))
			]);
			// Cancel always lands: before the answer it cancels the offer, after it the consult.
			expect(cancel).toBe('ok');
			expect(['ok', 'TRANSFER_FINISHED']).toContain(accept);
			if (accept === 'ok') orders.acceptFirst += 1;
			else orders.cancelFirst += 1;
			const live = await hot.query(api.transfers.get, { transferId: row.transferId }, SYSTEM_IDENTITY);
			const kept = await archived(row.transferId);
			expect(live).toMatchObject({ phase: 'returned', outcome: 'cancelled' });
			expect(kept).toMatchObject({ outcome: 'cancelled', reason: 'first agent cancelled' });
			expect(kept?.answeredAt !== null).toBe(accept === 'ok');
			// The customer is released once and the target's leg dropped once, whichever came first.
			expect(carrier.ops.filter((o) => o.startsWith('unhold'))).toHaveLength(1);
			expect(carrier.ops.filter((o) => o.startsWith('remove leg-'))).toHaveLength(1);
			expect(await status(bob)).toBe('available');
			expect((await hot.query(api.transfers.mine, {}, me(bob))).offered.filter((o) => o.phase === 'ringing' || o.phase === 'consulting')).toEqual([]);
			await endAnnCall(callSid);
		}
		expect(orders.acceptFirst + orders.cancelFirst).toBe(REPS);
	}, 300_000);
});

describe('transfers: bad input', () => {
	const nothingWritten = async (callSid: string) => {
		expect(await hot.query(api.transfers.openForCall, { callSid }, SYSTEM_IDENTITY)).toBeNull();
		expect(await t.db.select().from(callTransfers).where(eq(callTransfers.callSid, callSid))).toEqual([]);
		expect(await hot.query(api.transfers.callFor, { callSid }, SYSTEM_IDENTITY)).toMatchObject({ agentId: ann.id, state: expect.not.stringMatching('wrapup') });
	};

	it('refuses yourself, an offline agent, an unknown agent or queue, a DNC number and one outside its window', async () => {
		const callSid = await annOnCall();
		const start = (target: Parameters<typeof startTransfer>[2]['target'], d: TransferDeps = deps) => codeOf(startTransfer(d, ann, { callSid, kind: 'cold', target }));
		expect(await start({ agentId: ann.id })).toBe('TRANSFER_TO_SELF');
		expect(await start({ agentId: cy.id })).toBe('TARGET_UNAVAILABLE');
		expect(await start({ agentId: 'no-such-user' })).toBe('UNKNOWN_AGENT');
		expect(await start({ queue: 'nowhere' })).toBe('UNKNOWN_QUEUE');
		await recordConsent(t.db, { phone: '+12125559001', channel: 'voice', action: 'opt_out', source: 'api' });
		expect(await start({ number: '+12125559001' })).toBe('DNC_BLOCKED');
		const night = { ...deps, config: { outbound: { rules: DEFAULT_RULE_SET, clockStart: NIGHT } } };
		expect(await start({ number: '+12125559002' }, night)).toBe('OUTSIDE_CALLING_HOURS');
		expect(await codeOf(startTransfer(deps, bob, { callSid, kind: 'cold', target: { queue: 'support' } }))).toBe('NOT_YOUR_CALL');
		expect(await codeOf(startTransfer(deps, ann, { callSid: 'CAnone', kind: 'cold', target: { queue: 'support' } }))).toBe('CALL_ENDED');
		await nothingWritten(callSid);
		expect(await status(bob)).toBe('available');
		await endAnnCall(callSid);
	});

	it('completing twice: the second is refused, the archive keeps one outcome', async () => {
		const callSid = await annOnCall();
		const row = await startTransfer(deps, ann, { callSid, kind: 'warm', target: { agentId: bob.id } });
		await moveTransfer(deps, { transferId: row.transferId, event: 'target-answered', actorId: bob.id });
		expect(await codeOf(moveTransfer(deps, { transferId: row.transferId, event: 'complete', actorId: ann.id }))).toBe('ok');
		expect(await codeOf(moveTransfer(deps, { transferId: row.transferId, event: 'complete', actorId: ann.id }))).toBe('TRANSFER_FINISHED');
		expect(await archived(row.transferId)).toMatchObject({ outcome: 'completed', toAgentId: bob.id, kind: 'warm' });
		// Ann is off the call and in wrap-up at once, on her hand-off.
		expect(await status(ann)).toBe('wrapup');
		expect(await hot.query(api.callWrapup.myWrapups, {}, me(ann))).toMatchObject([{ callSid: handoffCallSid(row.transferId) }]);
		// The call is Bob's now, by his leg too: its end puts him in wrap-up and frees him like any call.
		const bobsLeg = (await hot.query(api.transfers.get, { transferId: row.transferId }, SYSTEM_IDENTITY))?.targetCallSid ?? '';
		expect(await hot.query(api.transfers.callFor, { callSid: bobsLeg }, SYSTEM_IDENTITY)).toMatchObject({ callSid, agentId: bob.id, state: 'in-progress' });
		open.delete(callSid);
		await hot.mutation(api.callWrapup.completeCall, { callSid }, SYSTEM_IDENTITY);
		expect(await status(bob)).toBe('wrapup');
		await hot.mutation(api.callWrapup.finishWrapup, { callSid, agentId: bob.id }, SYSTEM_IDENTITY);
		expect(await status(bob)).toBe('available');
		await endAnnCall(callSid);
		expect(await status(ann)).toBe('available');
	});

	it('completing after the customer hung up: CALL_ENDED, everything torn down once', async () => {
		const callSid = await annOnCall();
		const row = await startTransfer(deps, ann, { callSid, kind: 'warm', target: { agentId: bob.id } });
		await moveTransfer(deps, { transferId: row.transferId, event: 'target-answered', actorId: bob.id });
		carrier.ops = [];
		await moveTransfer(deps, { transferId: row.transferId, event: 'customer-hangup' });
		expect(await codeOf(moveTransfer(deps, { transferId: row.transferId, event: 'complete', actorId: ann.id }))).toBe('CALL_ENDED');
		expect(carrier.ops).toEqual([`end CF-call-cust-${callSid}`]);
		expect(await archived(row.transferId)).toMatchObject({ outcome: 'customer-hangup' });
		expect(await status(bob)).toBe('available');
		await endAnnCall(callSid);
	});

	it('a carrier that cannot ring the target: the caller is back with the first agent, the transfer closed', async () => {
		const callSid = await annOnCall();
		carrier.failAdd = true;
		carrier.ops = [];
		try {
			expect(await codeOf(startTransfer(deps, ann, { callSid, kind: 'warm', target: { agentId: bob.id } }))).toBe('CARRIER_FAILED');
		} finally {
			carrier.failAdd = false;
		}
		expect(carrier.ops).toContain(`unhold cust-${callSid}`);
		expect(await hot.query(api.transfers.openForCall, { callSid }, SYSTEM_IDENTITY)).toBeNull();
		const [kept] = await t.db.select().from(callTransfers).where(eq(callTransfers.callSid, callSid));
		expect(kept).toMatchObject({ outcome: 'declined', reason: expect.stringMatching(/^carrier error/) });
		expect(await status(bob)).toBe('available');
		await endAnnCall(callSid);
	});
});

describe('transfers: queues and notices', () => {
	it('a queue transfer puts the caller in that queue line and notifies nobody but the first agent', async () => {
		const callSid = await annOnCall();
		const seen: unknown[] = [];
		const stop = await deps.broadcast.subscribe(transferChannel(ann.id), (m) => seen.push(m.data));
		carrier.ops = [];
		const row = await startTransfer(deps, ann, { callSid, kind: 'cold', target: { queue: 'support' } });
		// Only this transfer's notices: the offer sweep may still close an earlier test's transfer meanwhile.
		const mine = () => seen.filter((n) => (n as { transferId?: string }).transferId === row.transferId);
		await vi.waitFor(() => expect(mine()).toHaveLength(1));
		stop();
		expect(row).toMatchObject({ phase: 'requeued', outcome: 'queued' });
		expect(carrier.ops).toEqual([`ensure ${callSid}`, `redirect cust-${callSid} support`, `remove ${callSid}`]);
		expect(await hot.query(api.transfers.directory, { queues: ['support'] }, SYSTEM_IDENTITY)).toMatchObject({ waiting: [{ queueName: 'support', count: 1 }] });
		expect(mine()).toMatchObject([{ transferId: row.transferId, phase: 'requeued' }]);
		expect(await archived(row.transferId)).toMatchObject({ outcome: 'queued', toQueue: 'support' });
		// Ann is in wrap-up on her hand-off: the call is not hers any more.
		expect(await status(ann)).toBe('wrapup');
		expect(await hot.query(api.callControl.mine, {}, me(ann))).toBeNull();
		await endAnnCall(callSid);
	});

	it('an offer reaches the target on their own channel with the caller and the note', async () => {
		const callSid = await annOnCall();
		const seen: unknown[] = [];
		const stop = await deps.broadcast.subscribe(transferChannel(bob.id), (m) => seen.push(m.data));
		const row = await startTransfer(deps, ann, { callSid, kind: 'cold', target: { agentId: bob.id }, note: 'Billing question' });
		await vi.waitFor(() => expect(seen).toHaveLength(1));
		stop();
		expect(seen).toMatchObject([{ transferId: row.transferId, phase: 'blind_ringing', note: 'Billing question', fromAgentName: ann.name }]);
		expect(carrier.ops.slice(-3)).toEqual([`hold cust-${callSid}`, `add agent:${bob.id}`, `remove ${callSid}`]);
		await moveTransfer(deps, { transferId: row.transferId, event: 'target-declined', actorId: bob.id });
		// Ann has left (cold): the caller waits in the line of the number's own queue, nothing left ringing; the call is nobody's.
		expect(carrier.ops.slice(-2)).toEqual([`redirect cust-${callSid} sales`, expect.stringMatching(/^remove leg-/)]);
		expect(await hot.query(api.transfers.callFor, { callSid }, SYSTEM_IDENTITY)).toBeNull();
		expect(await status(ann)).toBe('wrapup');
		await endAnnCall(callSid);
	});
});
