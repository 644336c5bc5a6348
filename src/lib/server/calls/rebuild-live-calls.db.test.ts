/**
 * A restart rebuilds the live calls from the archive, checked with the carrier: queued callers
 * keep their place, a ringing offer and an answered call come back, an unsaved wrap-up can still
 * be saved, and calls that ended while the server was down are closed in the archive and leave
 * no ghost in hot state (also when hot state survived the restart, as Convex does).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { AdapterError } from '../adapters/errors';
import type { CallRecord, CallStatus } from '../adapters/telephony/port';
import { activities } from '../db/schema/crm';
import { callEvents, calls } from '../db/schema/calls';
import { createLocalHotState, type HotState, type Identity } from '../live/hot';
import { rebuildHotState } from '../live/rebuild-hot-state';
import { ACCOUNT_SID, createVoiceHarness, newCallSid, type VoiceHarness } from './test-harness';
import { VOICE_PATHS } from './voice-paths';
import { ringingFor } from './test-board';
import { endWrapUpEarly } from './end-wrap-up-early';
import { wrapUpCall } from './wrap-up-call';

let h: VoiceHarness;
/** What the carrier says about each call "after the restart". */
const carrier = new Map<string, CallStatus | 'unknown' | 'unreachable'>();
const restarted: HotState[] = [];
const viewer: Identity = { subject: 'rb-viewer', role: 'supervisor', name: 'Viewer' };

beforeAll(async () => {
	h = await createVoiceHarness();
	h.adapters.telephony.fetchCall = (sid: string): Promise<CallRecord> => {
		const said = carrier.get(sid) ?? 'unknown';
		if (said === 'unknown') return Promise.reject(new AdapterError(`The requested resource /Calls/${sid}.json was not found`, { port: 'telephony', adapter: 'local', status: 404, vendorCode: 20404 }));
		if (said === 'unreachable') return Promise.reject(new AdapterError('connect ECONNREFUSED', { port: 'telephony', adapter: 'twilio' }));
		const ended = ['completed', 'busy', 'failed', 'no-answer', 'canceled'].includes(said);
		return Promise.resolve({
			sid,
			status: said,
			accountSid: ACCOUNT_SID,
			from: '',
			to: '',
			direction: 'inbound',
			parentCallSid: null,
			durationSeconds: ended ? 95 : null,
			startTime: new Date(Date.now() - 100_000),
			endTime: ended ? new Date(Date.now() - 5_000) : null,
			dateCreated: new Date(Date.now() - 100_000)
		});
	};
	await h.addQueue('+14155550301', 'rb-wait', ['rb-skill-nobody-has']);
	await h.addQueue('+14155550302', 'rb-answer', ['rb-answer']);
	await h.addQueue('+14155550303', 'rb-ring', ['rb-ring']);
	await h.addQueue('+14155550304', 'rb-wrap', ['rb-wrap']);
	await h.addQueue('+14155550305', 'rb-ready', ['rb-ready']);
}, 60_000);
afterAll(async () => {
	await Promise.allSettled(restarted.map((r) => r.close()));
	await h.close();
});

const incoming = (sid: string, from: string, to: string) => ({ CallSid: sid, AccountSid: ACCOUNT_SID, From: from, To: to, CallStatus: 'ringing', Direction: 'inbound' });

async function call(to: string, from: string, carrierSays: CallStatus | 'unknown' | 'unreachable') {
	const sid = newCallSid();
	const res = await h.post(VOICE_PATHS.incoming, incoming(sid, from, to));
	expect(res.status).toBe(200);
	carrier.set(sid, carrierSays);
	return sid;
}

async function agentLeg(parent: string, to: string, from: string, agent: Identity, status: 'in-progress' | 'completed', seq: number) {
	await h.post(VOICE_PATHS.status, {
		...incoming(parent, from, to),
		// The parent's tail is what differs between calls (newCallSid counts there).
		CallSid: `CA${parent.slice(-16)}${'a'.repeat(16)}`,
		ParentCallSid: parent,
		To: `client:agent_${agent.subject}`,
		CallStatus: status,
		SequenceNumber: String(seq),
		...(status === 'completed' ? { CallDuration: '60' } : {})
	});
}

const row = async (sid: string) => (await h.testDb.db.select().from(calls).where(eq(calls.callSid, sid)))[0];
const statusOf = async (hot: HotState, userId: string) => (await hot.query(api.agentStatus.list, {}, viewer)).find((a) => a.userId === userId)?.status;

describe('rebuilding the live calls at start', () => {
	let first: string, second: string, gone: string, forgotten: string, unreachable: string, answered: string, ringing: string, wrapping: string, readied: string;
	let answerer: Identity, ringer: Identity, wrapper: Identity, readier: Identity;

	beforeAll(async () => {
		await h.addCustomer('+12125550301', 'Queenie');
		first = await call('+14155550301', '+12125550301', 'in-progress');
		second = await call('+14155550301', '+12125550302', 'in-progress');
		gone = await call('+14155550301', '+12125550303', 'completed');
		forgotten = await call('+14155550301', '+12125550304', 'unknown');
		unreachable = await call('+14155550301', '+12125550305', 'unreachable');

		answerer = await h.addAgent(['rb-answer']);
		answered = await call('+14155550302', '+12125550306', 'in-progress');
		await h.hot.mutation(api.callLine.acceptCall, { callSid: answered }, answerer);
		await agentLeg(answered, '+14155550302', '+12125550306', answerer, 'in-progress', 1);

		ringer = await h.addAgent(['rb-ring']);
		ringing = await call('+14155550303', '+12125550307', 'ringing');

		wrapper = await h.addAgent(['rb-wrap']);
		wrapping = await call('+14155550304', '+12125550308', 'completed');
		await h.hot.mutation(api.callLine.acceptCall, { callSid: wrapping }, wrapper);
		await agentLeg(wrapping, '+14155550304', '+12125550308', wrapper, 'in-progress', 1);
		await agentLeg(wrapping, '+14155550304', '+12125550308', wrapper, 'completed', 2);
		await h.post(VOICE_PATHS.status, { ...incoming(wrapping, '+12125550308', '+14155550304'), CallStatus: 'completed', SequenceNumber: '3', CallDuration: '70' });

		// Pressed Ready now before the restart: back at work, only the form is left to save.
		readier = await h.addAgent(['rb-ready']);
		readied = await call('+14155550305', '+12125550309', 'completed');
		await h.hot.mutation(api.callLine.acceptCall, { callSid: readied }, readier);
		await agentLeg(readied, '+14155550305', '+12125550309', readier, 'in-progress', 1);
		await agentLeg(readied, '+14155550305', '+12125550309', readier, 'completed', 2);
		await h.post(VOICE_PATHS.status, { ...incoming(readied, '+12125550309', '+14155550305'), CallStatus: 'completed', SequenceNumber: '3', CallDuration: '40' });
		await endWrapUpEarly({ db: h.testDb.db, hot: h.hot }, readier, readied);
	}, 60_000);

	it('puts queued callers back in order, the ringing offer and the answered call back, and closes calls that ended while down', async () => {
		const hot = await createLocalHotState();
		restarted.push(hot);
		const { calls: result } = await rebuildHotState({ db: h.testDb.db, hot, voice: { ...h.services, hot } });
		expect(result).toMatchObject({ checked: 7, closed: 2, waiting: 3, ringing: 1, active: 1, wrapup: 1 });

		const board = await hot.query(api.callBoard.board, {}, viewer);
		// Oldest first, each at its original time; the unreachable carrier does not cost a caller their place.
		expect(board.waiting.map((w) => w.callSid)).toEqual([first, second, unreachable]);
		expect(board.waiting[0]).toMatchObject({ queueName: 'rb-wait', customerName: 'Queenie Lovelace', enqueuedAt: (await row(first))?.queuedAt?.getTime() });
		expect(board.incoming.map((i) => [i.callSid, i.state, i.offeredTo ?? null])).toEqual([
			[first, 'routing', null],
			[second, 'routing', null],
			[unreachable, 'routing', null],
			[ringing, 'offered', ringer.subject]
		]);
		expect(board.active.map((a) => [a.callSid, a.state, a.agentId])).toEqual([
			[answered, 'in-progress', answerer.subject],
			[wrapping, 'wrapup', wrapper.subject]
		]);
		expect(await ringingFor(hot, ringer)).toMatchObject({ callSid: ringing });
		expect([await statusOf(hot, answerer.subject), await statusOf(hot, ringer.subject), await statusOf(hot, wrapper.subject)]).toEqual(['busy', 'ringing', 'wrapup']);
		// The wrap-up countdown comes back with it, ending the queue's wrap-up time after the call ended.
		const [wrapRow] = await hot.query(api.callWrapup.myWrapups, {}, wrapper);
		expect(wrapRow?.wrapupEndsAt).toBe(((await row(wrapping))?.endedAt?.getTime() ?? 0) + 60_000);
		expect(await hot.query(api.callWrapup.myWrapups, {}, readier)).toEqual([]);

		// Ended while down: closed as the carrier's final callback would have, with its activity; no hot row.
		for (const sid of [gone, forgotten]) {
			const closed = await row(sid);
			expect(closed).toMatchObject({ status: 'completed', outcome: 'abandoned', activityId: expect.any(String) });
			expect(closed?.endedAt).toBeInstanceOf(Date);
			const events = await h.testDb.db.select().from(callEvents).where(and(eq(callEvents.callId, closed?.id ?? ''), eq(callEvents.kind, 'status.completed')));
			expect(events.map((e) => e.payload.source)).toEqual(['start-up reconciliation']);
		}
		expect((await h.testDb.db.select().from(activities).where(eq(activities.id, (await row(gone))?.activityId ?? ''))).length).toBe(1);

		// The agent in wrap-up can still save it after the restart, and is free afterwards.
		const saved = await wrapUpCall({ db: h.testDb.db, hot }, wrapper, { callSid: wrapping, disposition: 'Resolved', notes: '' });
		expect(saved.activityId).toEqual(expect.any(String));
		expect(await statusOf(hot, wrapper.subject)).toBe('available');
	});

	it('is safe to run again, and removes ghosts from a hot state that outlived the restart', async () => {
		// The original hot state still shows the call that ended while "down" waiting in its queue.
		expect((await h.hot.query(api.callBoard.board, {}, viewer)).waiting.map((w) => w.callSid)).toContain(gone);
		const { calls: result } = await rebuildHotState({ db: h.testDb.db, hot: h.hot, voice: h.services });
		expect(result?.closed).toBe(0);
		const board = await h.hot.query(api.callBoard.board, {}, viewer);
		expect(board.waiting.map((w) => w.callSid)).toEqual([first, second, unreachable]);
		expect(board.active.map((a) => a.callSid)).toEqual([answered]);
		expect(result?.removed).toBeGreaterThanOrEqual(3);
		// The wrap-up saved on the other engine is in the archive, so this one lets the agent go too.
		expect(await statusOf(h.hot, wrapper.subject)).toBe('available');
		expect(await statusOf(h.hot, answerer.subject)).toBe('busy');

		const again = await rebuildHotState({ db: h.testDb.db, hot: h.hot, voice: h.services });
		expect(again.calls).toMatchObject({ closed: 0, removed: 0, waiting: 3, active: 1 });
	});
});

describe('rebuilding a call an agent declined', () => {
	it('does not ring the decliner again: the offer ended, and the caller waits in line', async () => {
		await h.addQueue('+14155550306', 'rb-decline', ['rb-decline']);
		const decliner = await h.addAgent(['rb-decline']);
		const sid = await call('+14155550306', '+12125550310', 'in-progress');
		expect(await ringingFor(h.hot, decliner)).toMatchObject({ callSid: sid });
		await h.post(VOICE_PATHS.dialAction, { ...incoming(sid, '+12125550310', '+14155550306'), DialCallStatus: 'busy', DialCallSid: newCallSid() });

		const hot = await createLocalHotState();
		restarted.push(hot);
		await rebuildHotState({ db: h.testDb.db, hot, voice: { ...h.services, hot } });
		const board = await hot.query(api.callBoard.board, {}, viewer);
		expect(board.incoming.find((i) => i.callSid === sid)).toMatchObject({ state: 'routing', declinedBy: [decliner.subject] });
		expect(board.waiting.map((w) => w.callSid)).toContain(sid);
		expect(await ringingFor(hot, decliner)).toBeUndefined();
	});
});
