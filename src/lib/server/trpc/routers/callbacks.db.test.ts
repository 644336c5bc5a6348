/**
 * Callback tasks end to end through the voice webhooks and the tRPC router: an abandoned queue
 * caller or a voicemail opens exactly one task for the queue (with caller, customer, wait and the
 * call's recording), agents with the queue's skills see and claim it (one winner among many),
 * and close it with an outcome that the customer's timeline shows.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaff } from '../../crm/test-factories';
import { listTimeline } from '../../crm/list-timeline';
import { callbackTasks } from '../../db/schema/callbacks';
import { calls } from '../../db/schema/calls';
import { agentSkills, skills } from '../../db/schema/staff';
import type { Services } from '../../services';
import { createCallerFactory, type SessionUser } from '../init';
import { callbacksRouter } from './callbacks';
import { ACCOUNT_SID, createVoiceHarness, newCallSid, type VoiceHarness } from '../../calls/test-harness';
import { VOICE_PATHS } from '../../calls/voice-paths';
import type { Role } from '$lib/roles';

let h: VoiceHarness;
const createCaller = createCallerFactory(callbacksRouter);
const as = (who: SessionUser) => createCaller({ services: h.services as unknown as Services, user: who });

beforeAll(async () => {
	h = await createVoiceHarness();
	await h.testDb.db.insert(skills).values([{ id: 'cb-skill', name: 'Callbacks test' }]);
	await h.addQueue('+14155550401', 'cb-queue', ['cb-skill']);
}, 60_000);
afterAll(() => h.close());

async function staff(role: Role = 'agent', withSkill = true): Promise<SessionUser> {
	const s = await makeStaff(h.testDb.db, role);
	if (withSkill) await h.testDb.db.insert(agentSkills).values({ userId: s.id, skill: 'cb-skill', level: 3 });
	return s;
}

const incoming = (sid: string, from: string) => ({ CallSid: sid, AccountSid: ACCOUNT_SID, From: from, To: '+14155550401', CallStatus: 'ringing', Direction: 'inbound' });
const T0 = Date.parse('2026-11-24T09:00:00Z');

/** A caller who waits `seconds` in cb-queue (nobody has its skill in hot state) and then hangs up or leaves a voicemail. */
async function unanswered(from: string, seconds: number, how: 'hangup' | 'voicemail') {
	const sid = newCallSid();
	const base = incoming(sid, from);
	await h.post(VOICE_PATHS.incoming, { ...base, Timestamp: new Date(T0).toUTCString() });
	await h.post(VOICE_PATHS.status, { ...base, CallStatus: 'in-progress', SequenceNumber: '1', Timestamp: new Date(T0).toUTCString() });
	await h.post(VOICE_PATHS.enqueueAction, { ...base, QueueResult: how === 'hangup' ? 'hangup' : 'leave', QueueTime: String(seconds) });
	if (how === 'voicemail') {
		await h.post(VOICE_PATHS.recording, { ...base, RecordingSid: `RE${sid.slice(2)}`, RecordingStatus: 'completed', RecordingUrl: 'https://elsewhere.example/rec', RecordingChannels: '1' });
	}
	const done = { ...base, CallStatus: 'completed', SequenceNumber: '2', Timestamp: new Date(T0 + seconds * 1000).toUTCString(), CallDuration: String(seconds) };
	await h.post(VOICE_PATHS.status, done);
	await h.post(VOICE_PATHS.status, done);
	await h.post(VOICE_PATHS.status, { ...done, SequenceNumber: '3' });
	const [row] = await h.testDb.db.select().from(calls).where(eq(calls.callSid, sid));
	return row;
}
const tasksFor = async (callId: string) => h.testDb.db.select().from(callbackTasks).where(eq(callbackTasks.callId, callId));

describe('opening callback tasks', () => {
	it('opens one task for a caller who hung up in the queue, with caller, customer and wait, and puts it on the timeline', async () => {
		const customerId = await h.addCustomer('+12125550401', 'Wanda');
		const call = await unanswered('+12125550401', 65, 'hangup');
		const tasks = await tasksFor(call?.id ?? '');
		expect(tasks).toHaveLength(1);
		expect(tasks[0]).toMatchObject({ queue: 'cb-queue', reason: 'abandoned', customerId, callerNumber: '+12125550401', waitSeconds: 65, status: 'open' });

		const timeline = (await listTimeline(h.testDb.db, { customerId })).items;
		const entry = timeline.find((a) => a.kind === 'callback');
		expect(entry?.summary).toBe('Callback owed: hung up after 1m 05s waiting for the cb-queue queue');
		expect(entry?.callback).toMatchObject({ id: tasks[0]?.id, status: 'open', customerName: 'Wanda Lovelace', queue: 'cb-queue' });
		expect(timeline.filter((a) => a.kind === 'call')).toHaveLength(1);
	});

	it('opens a voicemail task linked to the call and its recording', async () => {
		await h.addCustomer('+12125550402', 'Vera');
		const call = await unanswered('+12125550402', 30, 'voicemail');
		const [task] = await tasksFor(call?.id ?? '');
		expect(task).toMatchObject({ reason: 'voicemail', callId: call?.id });
		const agent = await staff();
		const open = (await as(agent).list()).open.find((t) => t.id === task?.id);
		expect(open?.recording.status).toMatch(/^(processing|failed)$/);
	});

	it('owes nothing to a caller who hung up within seconds, or who left no number to call back', async () => {
		const quick = await unanswered('+12125550403', 3, 'hangup');
		const anonymous = await unanswered('anonymous', 90, 'hangup');
		expect(await tasksFor(quick?.id ?? '')).toEqual([]);
		expect(await tasksFor(anonymous?.id ?? '')).toEqual([]);
	});
});

describe('working callback tasks', () => {
	it('shows open tasks only to agents with the queue skills (and to managers), and refuses a claim from anyone else', async () => {
		const call = await unanswered('+12125550404', 40, 'hangup');
		const [task] = await tasksFor(call?.id ?? '');
		const skilled = await staff();
		const unskilled = await staff('agent', false);
		const manager = await staff('manager', false);
		expect((await as(skilled).list()).open.map((t) => t.id)).toContain(task?.id);
		expect(await as(unskilled).list()).toMatchObject({ queues: [], open: [] });
		expect((await as(manager).list()).open.map((t) => t.id)).toContain(task?.id);
		await expect(as(unskilled).claim({ taskId: task?.id ?? '' })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('cb-queue') });
		await expect(createCaller({ services: h.services as unknown as Services, user: null }).list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
	});

	it('gives a task to exactly one of ten agents claiming it at once, over 20 tasks', async () => {
		const agents = await Promise.all(Array.from({ length: 10 }, () => staff()));
		for (let round = 0; round < 20; round += 1) {
			const [row] = await h.testDb.db.insert(calls).values({ callSid: newCallSid(), direction: 'inbound', queue: 'cb-queue', fromE164: '+12125550499' }).returning();
			const [task] = await h.testDb.db.insert(callbackTasks).values({ callId: row?.id ?? '', queue: 'cb-queue', reason: 'abandoned', callerNumber: '+12125550499' }).returning();
			const results = await Promise.allSettled(agents.map((a) => as(a).claim({ taskId: task?.id ?? '' })));
			const won = results.filter((r) => r.status === 'fulfilled');
			expect(won).toHaveLength(1);
			const winner = (won[0] as PromiseFulfilledResult<{ claimedBy: string | null }>).value.claimedBy;
			for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/has already taken this callback/) });
			const [stored] = await h.testDb.db.select().from(callbackTasks).where(eq(callbackTasks.id, task?.id ?? ''));
			expect(stored).toMatchObject({ status: 'claimed', claimedBy: winner });
		}
	});

	it('lets only the holder (or a supervisor) close or give back a task, and the timeline shows the outcome', async () => {
		const customerId = await h.addCustomer('+12125550405', 'Otto');
		const call = await unanswered('+12125550405', 50, 'hangup');
		const [task] = await tasksFor(call?.id ?? '');
		const taskId = task?.id ?? '';
		const holder = await staff();
		const other = await staff();
		await expect(as(holder).complete({ taskId, outcome: 'reached' })).rejects.toMatchObject({ code: 'CONFLICT', message: 'Take this callback before closing it.' });
		expect(await as(holder).claim({ taskId })).toMatchObject({ status: 'claimed', claimedBy: holder.id, claimedByName: holder.name });
		await expect(as(holder).claim({ taskId })).rejects.toMatchObject({ code: 'CONFLICT', message: 'You already have this callback.' });
		expect((await as(holder).list()).mine.map((t) => t.id)).toEqual([taskId]);
		await expect(as(other).complete({ taskId, outcome: 'reached' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as(holder).complete({ taskId, outcome: 'maybe' as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });

		expect(await as(holder).release({ taskId })).toMatchObject({ status: 'open', claimedBy: null });
		await as(other).claim({ taskId });
		const done = await as(other).complete({ taskId, outcome: 'left-message', notes: ' Called at 10:05, <i>voicemail</i>. ' });
		expect(done).toMatchObject({ status: 'done', outcome: 'left-message', notes: 'Called at 10:05, <i>voicemail</i>.', completedByName: other.name });
		await expect(as(other).complete({ taskId, outcome: 'reached' })).rejects.toMatchObject({ code: 'CONFLICT', message: 'This callback is already done.' });
		expect((await as(other).list()).mine).toEqual([]);
		const entry = (await listTimeline(h.testDb.db, { customerId })).items.find((a) => a.kind === 'callback');
		expect(entry?.callback).toMatchObject({ status: 'done', outcome: 'left-message' });

		// A supervisor can close a task someone left claimed.
		const stuck = await unanswered('+12125550406', 20, 'hangup');
		const [left] = await tasksFor(stuck?.id ?? '');
		await as(holder).claim({ taskId: left?.id ?? '' });
		const supervisor = await staff('supervisor', false);
		expect(await as(supervisor).complete({ taskId: left?.id ?? '', outcome: 'not-needed' })).toMatchObject({ status: 'done' });
	});
});
