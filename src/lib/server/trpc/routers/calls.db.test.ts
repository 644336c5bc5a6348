/**
 * Wrap-up and the customer timeline, driven through the real voice webhooks: an answered call is
 * wrapped up by its own agent (once) and lands on the timeline with disposition and durations;
 * unanswered calls land there when the caller's leg ends; a recording plays through a signed URL.
 */
import { TRPCError } from '@trpc/server';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '$convex/_generated/api';
import { user } from '../../db/schema/auth';
import { rowsOf } from '../../db/rows';
import { activities } from '../../db/schema/crm';
import { callbackTasks } from '../../db/schema/callbacks';
import { agentSkills, skills } from '../../db/schema/staff';
import { calls } from '../../db/schema/calls';
import { callTranscripts } from '../../db/schema/transcripts';
import type { Identity } from '../../live/hot';
import type { Services } from '../../services';
import { listTimeline } from '../../crm/list-timeline';
import { closeCallJob, endWrapupJob } from '../../calls/record-call-activity';
import { ACCOUNT_SID, createVoiceHarness, newCallSid, type VoiceHarness } from '../../calls/test-harness';
import { VOICE_PATHS } from '../../calls/voice-paths';
import { createCallerFactory, type SessionUser } from '../init';
import { callsRouter } from './calls';
import { agentClientIdentity } from '../../calls/caller-number';
import { crmRouter } from './crm';

/** The roster and the call board are the wallboard's, so tests read them as a supervisor. */
const WALLBOARD = { subject: 'wallboard-viewer', role: 'supervisor' as const, name: 'Wallboard' };

let h: VoiceHarness;
const createCaller = createCallerFactory(callsRouter);
const as = (who: Identity, role: SessionUser['role'] = 'agent') =>
	createCaller({
		services: { ...h.services, adapters: h.adapters } as unknown as Services,
		user: {
			id: who.subject,
			name: who.name ?? '',
			email: 'x@test.local',
			role
		} satisfies SessionUser
	});

beforeAll(async () => {
	// Transcribed recordings: the transcript retry below is worked by the transcription job.
	h = await createVoiceHarness({ transcribe: true });
	await h.addQueue('+14155550110', 'wrapup-test', ['wrapup-skill']);
	await h.addQueue('+14155550111', 'nobody-test', ['skill-nobody-has']);
}, 60_000);
afterAll(() => h.close());

const T0 = Date.parse('2026-11-24T09:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000).toUTCString();
const incoming = (sid: string, from: string, to: string) => ({
	CallSid: sid,
	AccountSid: ACCOUNT_SID,
	From: from,
	To: to,
	CallStatus: 'ringing',
	Direction: 'inbound'
});

async function timeline(customerId: string) {
	return h.testDb.db
		.select()
		.from(activities)
		.where(and(eq(activities.customerId, customerId), eq(activities.kind, 'call')));
}
const callRow = async (sid: string) => (await h.testDb.db.select().from(calls).where(eq(calls.callSid, sid)))[0];

let queues = 0;
async function answeredCall() {
	// A queue and skill of its own, so agents from earlier cases (available again after wrap-up) do not take it.
	queues += 1;
	const number = `+1415555${String(2000 + queues)}`;
	await h.addQueue(number, `wrapup-${queues}`, [`wrapup-skill-${queues}`]);
	const agent = await h.addAgent([`wrapup-skill-${queues}`]);
	await h.testDb.db.update(user).set({ name: 'Alice Moreno' }).where(eq(user.id, agent.subject));
	const phone = `+1212555${String(Math.floor(Math.random() * 9000) + 1000)}`;
	const customerId = await h.addCustomer(phone, 'Grace');
	const sid = newCallSid();
	const leg = newCallSid();
	const base = incoming(sid, phone, number);
	expect(await (await h.post(VOICE_PATHS.incoming, base)).text()).toContain(agentClientIdentity(agent.subject));
	await h.hot.mutation(api.callLine.acceptCall, { callSid: sid }, agent);
	const agentLeg = {
		...base,
		CallSid: leg,
		ParentCallSid: sid,
		To: `client:agent_${agent.subject}`,
		Direction: 'outbound-dial'
	};
	await h.post(VOICE_PATHS.status, {
		...agentLeg,
		CallStatus: 'in-progress',
		SequenceNumber: '2',
		Timestamp: at(10)
	});
	await h.post(VOICE_PATHS.status, {
		...agentLeg,
		CallStatus: 'completed',
		SequenceNumber: '3',
		Timestamp: at(262),
		CallDuration: '252'
	});
	await h.post(VOICE_PATHS.status, {
		...base,
		CallStatus: 'completed',
		SequenceNumber: '4',
		Timestamp: at(262),
		CallDuration: '262'
	});
	return { agent, customerId, sid };
}

describe('calls.wrapUp', () => {
	it('saves disposition, notes and wrap-up seconds, writes one call activity, and frees the agent', async () => {
		const { agent, customerId, sid } = await answeredCall();
		expect(await timeline(customerId)).toEqual([]);
		expect((await h.hot.query(api.agentStatus.list, {}, WALLBOARD)).find((s) => s.userId === agent.subject)?.status).toBe('wrapup');

		const res = await as(agent).wrapUp({
			callSid: sid,
			disposition: 'resolved',
			notes: '  Reset the password.  '
		});
		const row = await callRow(sid);
		expect(row).toMatchObject({
			disposition: 'resolved',
			notes: 'Reset the password.',
			outcome: 'answered',
			talkSeconds: 252,
			activityId: res.activityId
		});
		expect(res.wrapupSeconds).toBe(row?.wrapupSeconds);
		const [activity, ...more] = await timeline(customerId);
		expect(more).toEqual([]);
		expect(activity).toMatchObject({
			id: res.activityId,
			actorId: agent.subject,
			summary: 'Inbound call, answered by Alice Moreno, 4m 12s'
		});
		expect(activity?.data).toMatchObject({
			callId: row?.id,
			callSid: sid,
			outcome: 'answered',
			talkSeconds: 252,
			waitSeconds: expect.any(Number),
			disposition: 'resolved'
		});
		expect((await h.hot.query(api.agentStatus.list, {}, WALLBOARD)).find((s) => s.userId === agent.subject)?.status).toBe('available');

		await expect(as(agent).wrapUp({ callSid: sid, disposition: 'resolved' })).rejects.toMatchObject({ code: 'CONFLICT' });
		// The close-call job's safety net changes nothing once the wrap-up wrote the activity.
		await closeCallJob({ db: h.testDb.db }, { callId: row?.id ?? '' });
		expect(await timeline(customerId)).toHaveLength(1);
	});

	it('refuses another agent, a call still in progress, and an empty disposition', async () => {
		const { sid } = await answeredCall();
		const other = await h.addAgent([]);
		await expect(as(other).wrapUp({ callSid: sid, disposition: 'resolved' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as(other).wrapUp({ callSid: sid, disposition: ' ' })).rejects.toBeInstanceOf(TRPCError);
		await expect(as(other).wrapUp({ callSid: newCallSid(), disposition: 'resolved' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

		const agent = await h.addAgent(['wrapup-skill']);
		const live = newCallSid();
		const base = incoming(live, '+12125559876', '+14155550110');
		await h.post(VOICE_PATHS.incoming, base);
		await h.hot.mutation(api.callLine.acceptCall, { callSid: live }, agent);
		const agentLeg = {
			...base,
			CallSid: newCallSid(),
			ParentCallSid: live,
			To: `client:agent_${agent.subject}`
		};
		await h.post(VOICE_PATHS.status, {
			...agentLeg,
			CallStatus: 'in-progress',
			SequenceNumber: '1'
		});
		await expect(as(agent).wrapUp({ callSid: live, disposition: 'resolved' })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: 'Hang up before saving the wrap-up.'
		});
	});

	it('writes the close-call safety net activity for an answered call nobody wrapped up', async () => {
		const { customerId, sid } = await answeredCall();
		const row = await callRow(sid);
		await closeCallJob({ db: h.testDb.db }, { callId: row?.id ?? '' });
		await closeCallJob({ db: h.testDb.db }, { callId: row?.id ?? '' });
		const entries = await timeline(customerId);
		expect(entries).toHaveLength(1);
		expect(entries[0]?.data).toMatchObject({
			outcome: 'answered',
			disposition: null
		});
	});
});

describe('wrap-up time', () => {
	it("frees the agent when the queue's wrap-up time is over, and the form still saves afterwards", async () => {
		const { agent, sid } = await answeredCall();
		const status = async () => (await h.hot.query(api.agentStatus.list, {}, WALLBOARD)).find((s) => s.userId === agent.subject)?.status;
		expect(await status()).toBe('wrapup');
		// The status webhook queued the end of wrap-up for the queue's wrap-up time (60 s by default).
		const result: unknown = await h.testDb.db.execute(sql`select start_after, created_on from pgboss.job where name = 'end-wrapup' and data->>'callSid' = ${sid}`);
		const rows = rowsOf<{ start_after: Date; created_on: Date }>(result);
		const [job] = rows;
		expect(job).toBeDefined();
		const delay = (new Date(job?.start_after ?? 0).getTime() - new Date(job?.created_on ?? 0).getTime()) / 1000;
		expect(delay).toBeGreaterThan(55);
		expect(delay).toBeLessThan(65);

		// The softphone counts down to the same moment: hot state has it on the call in wrap-up.
		const [shown] = await h.hot.query(api.callWrapup.myWrapups, {}, agent);
		expect(shown).toMatchObject({ callSid: sid, customerName: expect.stringContaining('Grace') });
		expect((shown?.wrapupEndsAt ?? 0) - (shown?.endedAt ?? 0)).toBe(60_000);

		await endWrapupJob({ db: h.testDb.db, hot: h.hot }, { callSid: sid });
		expect(await status()).toBe('available');
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, agent)).toEqual([]);
		const readyAt = (await callRow(sid))?.readyAt;
		expect(readyAt).toBeInstanceOf(Date);
		await endWrapupJob({ db: h.testDb.db, hot: h.hot }, { callSid: sid });
		expect(await status()).toBe('available');
		expect((await callRow(sid))?.readyAt).toEqual(readyAt);
		const saved = await as(agent).wrapUp({ callSid: sid, disposition: 'Resolved', notes: 'late' });
		expect(saved.activityId).toEqual(expect.any(String));
		// Wrap-up lasted until the time ran out, not until the late save.
		const row = await callRow(sid);
		expect(saved.wrapupSeconds).toBe(Math.round(((readyAt?.getTime() ?? 0) - (row?.endedAt?.getTime() ?? 0)) / 1000));
		expect(await status()).toBe('available');
	});
});

describe('calls.readyNow', () => {
	const status = async (agent: Identity) => (await h.hot.query(api.agentStatus.list, {}, WALLBOARD)).find((s) => s.userId === agent.subject)?.status;

	it('frees the agent before the wrap-up time, once; the form still saves and its wrap-up time stops at Ready now', async () => {
		const { agent, sid } = await answeredCall();
		expect(await status(agent)).toBe('wrapup');
		const first = await as(agent).readyNow({ callSid: sid });
		expect(await status(agent)).toBe('available');
		expect(await h.hot.query(api.callWrapup.myWrapups, {}, agent)).toEqual([]);
		const row = await callRow(sid);
		expect(row?.readyAt?.toISOString()).toBe(first.readyAt);
		// Pressed twice (two tabs): the same moment, one event.
		expect(await as(agent).readyNow({ callSid: sid })).toEqual(first);
		const events = await h.testDb.db.execute(sql`select kind from call_events where call_id = ${row?.id ?? ''} and kind = 'wrapup.ready'`);
		expect(rowsOf(events)).toHaveLength(1);
		// The timer's job finds the agent already free and changes nothing.
		await endWrapupJob({ db: h.testDb.db, hot: h.hot }, { callSid: sid });
		expect((await callRow(sid))?.readyAt?.toISOString()).toBe(first.readyAt);

		const saved = await as(agent).wrapUp({ callSid: sid, disposition: 'Resolved', notes: 'Done after Ready now' });
		expect(saved.wrapupSeconds).toBe(Math.round((Date.parse(first.readyAt) - (row?.endedAt?.getTime() ?? 0)) / 1000));
		expect(await status(agent)).toBe('available');
	});

	it('refuses another agent, a call still going and a malformed CallSid, changing nothing', async () => {
		const { agent, sid } = await answeredCall();
		const other = await h.addAgent([]);
		await expect(as(other).readyNow({ callSid: sid })).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Only the agent who took this call can end its wrap-up.' });
		await expect(as(agent).readyNow({ callSid: newCallSid() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(as(agent).readyNow({ callSid: 'CA123' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('callSid must be CA followed by 32 hex digits.') });
		expect(await status(agent)).toBe('wrapup');
		expect((await callRow(sid))?.readyAt).toBeNull();

		const busy = await h.addAgent(['wrapup-skill']);
		const live = newCallSid();
		const base = incoming(live, '+12125559875', '+14155550110');
		await h.post(VOICE_PATHS.incoming, base);
		await h.hot.mutation(api.callLine.acceptCall, { callSid: live }, busy);
		await h.post(VOICE_PATHS.status, { ...base, CallSid: newCallSid(), ParentCallSid: live, To: `client:agent_${busy.subject}`, CallStatus: 'in-progress', SequenceNumber: '1' });
		await expect(as(busy).readyNow({ callSid: live })).rejects.toMatchObject({ code: 'CONFLICT', message: 'The call is still going: hang up first.' });
		expect(await status(busy)).toBe('busy');
	});
});

describe('unanswered calls on the timeline', () => {
	it('writes one activity when an abandoned caller leg ends, however often the callback is retried', async () => {
		const customerId = await h.addCustomer('+12125550177', 'Ada');
		const sid = newCallSid();
		const base = incoming(sid, '+12125550177', '+14155550111');
		await h.post(VOICE_PATHS.incoming, base);
		await h.post(VOICE_PATHS.enqueueAction, {
			...base,
			QueueResult: 'hangup',
			QueueTime: '65'
		});
		const completed = {
			...base,
			CallStatus: 'completed',
			SequenceNumber: '2',
			CallDuration: '66'
		};
		await h.post(VOICE_PATHS.status, completed);
		await h.post(VOICE_PATHS.status, completed);
		await h.post(VOICE_PATHS.status, { ...completed, SequenceNumber: '3' });
		const entries = await timeline(customerId);
		expect(entries).toHaveLength(1);
		expect(entries[0]?.summary).toMatch(/^Inbound call, abandoned after \d+s waiting$/);
		expect(entries[0]?.data).toMatchObject({
			outcome: 'abandoned',
			callSid: sid
		});
	});

	it('writes a voicemail call with its recording key once the voicemail was recorded', async () => {
		const customerId = await h.addCustomer('+12125550178', 'Lin');
		const sid = newCallSid();
		const base = incoming(sid, '+12125550178', '+14155550111');
		await h.post(VOICE_PATHS.incoming, base);
		await h.post(VOICE_PATHS.enqueueAction, {
			...base,
			QueueResult: 'leave',
			QueueTime: '300'
		});
		const recordingSid = `RE${'d'.repeat(32)}`;
		await h.post(VOICE_PATHS.recording, {
			...base,
			RecordingSid: recordingSid,
			RecordingStatus: 'completed',
			RecordingUrl: 'https://elsewhere.example/rec',
			RecordingChannels: '1'
		});
		const pending = await callRow(sid);
		expect(pending).toMatchObject({
			recordingSid,
			recordingStatus: expect.stringMatching(/^(fetching|failed)$/)
		});
		expect(await h.jobs.status('fetch-recording', pending?.recordingJobId ?? '')).not.toBeNull();
		await h.post(VOICE_PATHS.status, {
			...base,
			CallStatus: 'completed',
			SequenceNumber: '5'
		});
		const [entry, ...more] = await timeline(customerId);
		expect(more).toEqual([]);
		expect(entry).toMatchObject({ summary: 'Inbound call, voicemail left' });
		expect(entry?.data).toMatchObject({
			outcome: 'voicemail',
			recordingKey: `recordings/${sid}/${recordingSid}.wav`
		});
	});
});

describe('calls.recordingUrl', () => {
	it('signs a five-minute URL for a stored recording and explains when there is none yet', async () => {
		const agent = await h.addAgent([]);
		const sid = newCallSid();
		const key = `recordings/${sid}/RE${'e'.repeat(32)}.wav`;
		await h.adapters.storage.put(key, new Uint8Array([1, 2, 3]), 'audio/x-wav');
		const [row] = await h.testDb.db
			.insert(calls)
			.values({
				callSid: sid,
				direction: 'inbound',
				agentId: agent.subject,
				recordingStatus: 'stored',
				recordingKey: key,
				recordingSeconds: 30,
				recordingChannels: 2
			})
			.returning();
		const before = Date.now();
		const res = await as(agent).recordingUrl({ callId: row?.id ?? '' });
		expect(res).toMatchObject({ durationSeconds: 30, channels: 2 });
		expect(res.url).toContain(key);
		const ttl = Date.parse(res.expiresAt) - before;
		expect(ttl).toBeGreaterThan(290_000);
		expect(ttl).toBeLessThanOrEqual(301_000);

		await h.testDb.db.update(calls).set({ recordingStatus: 'fetching' }).where(eq(calls.callSid, sid));
		await expect(as(agent).recordingUrl({ callId: row?.id ?? '' })).rejects.toMatchObject({ code: 'CONFLICT' });
		await expect(
			as(agent).recordingUrl({
				callId: '00000000-0000-4000-8000-000000000000'
			})
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});
});

describe('a call on the customer timeline', () => {
	it('carries the call as the archive holds it now: agent, durations, disposition, notes and the recording state', async () => {
		const { agent, customerId, sid } = await answeredCall();
		await as(agent).wrapUp({ callSid: sid, disposition: 'Resolved', notes: 'Shipped <b>today</b>.' });
		const row = await callRow(sid);
		const recordingSid = `RE${'f'.repeat(32)}`;
		await h.testDb.db
			.update(calls)
			.set({ recordingSid, recordingStatus: 'fetching', recordingAttempts: 1, recordingError: 'carrier answered 503' })
			.where(eq(calls.callSid, sid));

		const [item] = (await listTimeline(h.testDb.db, { customerId })).items;
		expect(item?.call).toEqual({
			callId: row?.id,
			callSid: sid,
			direction: 'inbound',
			outcome: 'answered',
			queue: expect.stringMatching(/^wrapup-/),
			agentId: agent.subject,
			agentName: 'Alice Moreno',
			missedBy: [],
			from: expect.stringMatching(/^\+1212555/),
			waitSeconds: row?.waitSeconds,
			talkSeconds: 252,
			wrapupSeconds: row?.wrapupSeconds,
			disposition: 'Resolved',
			notes: 'Shipped <b>today</b>.',
			recording: { status: 'processing', attempts: 1, lastError: 'carrier answered 503' },
			transcript: { status: 'none', attempts: 0, reason: null, language: null, engine: null, model: null, lines: [] }
		});

		// The job finishing later shows on the next read, through the timeline and calls.detail alike.
		await h.testDb.db
			.update(calls)
			.set({ recordingStatus: 'stored', recordingKey: 'recordings/x.wav', recordingSeconds: 252, recordingChannels: 2, recordingError: null })
			.where(eq(calls.callSid, sid));
		const detail = await as(agent).detail({ callId: row?.id ?? '' });
		expect(detail.recording).toEqual({ status: 'stored', seconds: 252, channels: 2 });
		expect((await listTimeline(h.testDb.db, { customerId })).items[0]?.call?.recording).toEqual(detail.recording);

		// Its transcript follows: running, then the speaker-labelled lines.
		const [transcript] = await h.testDb.db
			.insert(callTranscripts)
			.values({ callId: row!.id, recordingSid, kind: 'call', direction: 'inbound', occurredAt: row!.receivedAt, status: 'transcribing', attempts: 1 })
			.returning();
		expect((await as(agent).detail({ callId: row?.id ?? '' })).transcript).toMatchObject({ status: 'transcribing', attempts: 1, lines: [] });
		const lines = [
			{ speaker: 'agent' as const, start: 0, end: 1.5, text: 'Thank you for calling.' },
			{ speaker: 'customer' as const, start: 1.6, end: 3, text: 'My card is #### #### #### ####.' }
		];
		await h.testDb.db.update(callTranscripts).set({ status: 'done', segments: lines, engine: 'pocketsphinx', model: 'call-center', language: 'en' }).where(eq(callTranscripts.id, transcript!.id));
		expect((await listTimeline(h.testDb.db, { customerId })).items[0]?.call?.transcript).toEqual({
			status: 'done',
			attempts: 1,
			reason: null,
			language: 'en',
			engine: 'pocketsphinx',
			model: 'call-center',
			lines
		});

		await h.testDb.db.update(calls).set({ recordingStatus: 'failed', recordingAttempts: 6 }).where(eq(calls.callSid, sid));
		expect((await as(agent).detail({ callId: row?.id ?? '' })).recording).toEqual({ status: 'failed', attempts: 6, lastError: null });
	});

	it("lets managers, not agents, retry a failed transcript, and keeps transcripts from those who may not hear the call", async () => {
		const { agent, sid } = await answeredCall();
		const recordingSid = `RE${'c'.repeat(32)}`;
		await h.testDb.db.update(calls).set({ recordingSid, recordingStatus: 'stored', recordingKey: 'recordings/none.wav' }).where(eq(calls.callSid, sid));
		const row = (await callRow(sid))!;
		await h.testDb.db.insert(callTranscripts).values({
			callId: row.id,
			recordingSid,
			kind: 'call',
			direction: 'inbound',
			occurredAt: row.receivedAt,
			status: 'failed',
			attempts: 1,
			failureReason: 'The recording file is not in storage.'
		});
		const other = await h.addAgent([]);
		expect((await as(other).detail({ callId: row.id })).transcript).toMatchObject({ status: 'none', lines: [] });
		expect((await as(agent).detail({ callId: row.id })).transcript).toMatchObject({ status: 'failed', reason: 'The recording file is not in storage.' });
		await expect(as(agent).retryTranscript({ callId: row.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(as(other, 'manager').retryTranscript({ callId: row.id })).resolves.toMatchObject({ status: 'queued' });
		// The job runs at once and fails again (the file is still missing), with its reason.
		await expect.poll(async () => (await as(agent).detail({ callId: row.id })).transcript.status, { timeout: 15_000 }).toBe('failed');
		expect((await as(agent).detail({ callId: row.id })).transcript).toMatchObject({ attempts: 2, reason: expect.stringMatching(/not in storage/) });
	});

	it("keeps a call's recording and notes to its agent, the agent calling back, and managers and supervisors", async () => {
		const { agent, customerId, sid } = await answeredCall();
		await as(agent).wrapUp({ callSid: sid, disposition: 'Resolved', notes: 'Card ending 4242.' });
		const key = `recordings/${sid}/RE${'a'.repeat(32)}.wav`;
		await h.adapters.storage.put(key, new Uint8Array([1, 2, 3]), 'audio/x-wav');
		await h.testDb.db.update(calls).set({ recordingStatus: 'stored', recordingKey: key, recordingSeconds: 10 }).where(eq(calls.callSid, sid));
		const callId = (await callRow(sid))!.id;
		const other = await h.addAgent([]);

		await expect(as(other).recordingUrl({ callId })).rejects.toMatchObject({ code: 'FORBIDDEN', cause: { code: 'NOT_YOUR_CALL' } });
		const seen = await as(other).detail({ callId });
		expect(seen).toMatchObject({ agentId: agent.subject, disposition: 'Resolved', notes: '', recording: { status: 'none' } });
		const crm = createCallerFactory(crmRouter)({ services: h.services as unknown as Services, user: { id: other.subject, name: '', email: 'o@test.local', role: 'agent' } });
		const [entry] = (await crm.timeline({ customerId })).items;
		expect(entry?.call).toMatchObject({ notes: '', recording: { status: 'none' } });
		expect(entry?.data).not.toHaveProperty('notes');
		expect(entry?.data).not.toHaveProperty('recordingKey');

		expect((await as(agent).recordingUrl({ callId })).url).toContain(key);
		expect(await as(agent).detail({ callId })).toMatchObject({ notes: 'Card ending 4242.', recording: { status: 'stored' } });
		for (const role of ['manager', 'supervisor', 'admin'] as const) {
			expect((await as(other, role).recordingUrl({ callId })).url, role).toContain(key);
			expect((await as(other, role).detail({ callId })).notes, role).toBe('Card ending 4242.');
		}

		// Its callback task (a voicemail has no agent): while open, agents who may take it (the queue's
		// skills) hear it, others do not; once taken, its holder does.
		const [task] = await h.testDb.db.insert(callbackTasks).values({ callId, queue: 'wrapup-test', reason: 'voicemail', callerNumber: '+12125550100' }).returning();
		const skilled = await h.addAgent([]);
		await h.testDb.db.insert(skills).values({ id: 'wrapup-skill', name: 'Wrap-up' }).onConflictDoNothing();
		await h.testDb.db.insert(agentSkills).values({ userId: skilled.subject, skill: 'wrapup-skill', level: 3 });
		expect((await as(skilled).recordingUrl({ callId })).url).toContain(key);
		await expect(as(other).recordingUrl({ callId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await h.testDb.db.update(callbackTasks).set({ status: 'claimed', claimedBy: other.subject }).where(eq(callbackTasks.id, task!.id));
		expect((await as(other).recordingUrl({ callId })).url).toContain(key);
		await expect(as(skilled).recordingUrl({ callId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('answers calls.detail and calls.recordingUrl only to signed-in staff, and NOT_FOUND for an unknown call', async () => {
		const anonymous = createCaller({ services: h.services as unknown as Services, user: null });
		const id = '00000000-0000-4000-8000-000000000001';
		await expect(anonymous.detail({ callId: id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		await expect(anonymous.recordingUrl({ callId: id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		const agent = await h.addAgent([]);
		await expect(as(agent).detail({ callId: id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(as(agent).detail({ callId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});
});
