/**
 * A first text from a record goes through the outbound gate, as a dial does: Do-Not-Call on
 * either channel blocks it, the recipient-local window and the attempts per 24 hours (calls and
 * texts together) apply, and every attempt, allowed or refused, is kept. Allowed, the text is
 * recorded and queued in a new thread from the number the customer knows.
 */
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBroadcast } from '../adapters/broadcast/local';
import { makeStaff } from '../auth/test-helpers';
import { seedVoiceQueues } from '../calls/seed-voice-queues';
import { recordConsent } from '../compliance/record-consent';
import { outboundAttempts } from '../db/schema/compliance';
import { smsMessages, smsThreads } from '../db/schema/sms';
import { createTestDb, type TestDb } from '../db/test-db';
import type { Jobs } from '../jobs/jobs';
import { createTestJobs } from '../jobs/test-jobs';
import { createLocalHotState, type HotState } from '../live/hot';
import { localTelephony } from '../sms/test-helpers';
import { gateAttempt } from './gate';
import { DEFAULT_RULE_SET, type RuleSet } from './rule-set';
import { startTextThread, type StartTextDeps } from './start-text-thread';

let t: TestDb;
let hot: HotState;
let jobs: Jobs;
let agent: { id: string; name: string; role: 'agent' };
let other: { id: string; name: string; role: 'agent' };
beforeAll(async () => {
	t = await createTestDb();
	hot = await createLocalHotState();
	jobs = await createTestJobs(t, { adapters: localTelephony() as never, hot }, { work: false });
	await seedVoiceQueues(t.db);
	agent = { ...(await makeStaff(t.db, 'agent')), role: 'agent' };
	other = { ...(await makeStaff(t.db, 'agent')), role: 'agent' };
}, 60_000);
afterAll(async () => {
	await jobs.stop();
	await hot.close();
	await t.close();
});

/** 15:00 in New York. */
const AFTERNOON = new Date('2026-12-07T20:00:00Z');
let n = 0;
const freshNy = () => `+1212556${String(1000 + ++n).padStart(4, '0')}`;
const freshFl = () => `+1305556${String(1000 + ++n).padStart(4, '0')}`;

/** Deps whose gate clock starts at `at` (one config object per call, so each test has its own clock). */
const deps = (at: Date = AFTERNOON, rules: RuleSet = DEFAULT_RULE_SET): StartTextDeps => ({
	db: t.db,
	hot,
	jobs,
	broadcast: new LocalBroadcast(),
	config: { outbound: { rules, clockStart: at } }
});
const attemptsTo = (to: string) => t.db.select().from(outboundAttempts).where(eq(outboundAttempts.toPhone, to)).orderBy(outboundAttempts.attemptedAt);
const messagesTo = async (to: string) =>
	(
		await t.db
			.select({ n: count() })
			.from(smsMessages)
			.innerJoin(smsThreads, eq(smsThreads.id, smsMessages.threadId))
			.where(eq(smsThreads.customerPhone, to))
	)[0]?.n ?? 0;

describe('startTextThread', () => {
	it('records and queues the first text in a new thread from the number the customer knows, with the allowed attempt linked', async () => {
		const to = freshNy();
		const result = await startTextThread(deps(), { to: `(212) ${to.slice(5, 8)}-${to.slice(8)}`, body: 'Hello from Switchboard', actor: agent });
		expect(result.thread).toMatchObject({ customerPhone: to, ourPhone: '+14155550100', assignedTo: agent.id });
		expect(result.message).toMatchObject({ direction: 'outbound', status: 'waiting', body: 'Hello from Switchboard' });
		const [attempt] = await attemptsTo(to);
		expect(attempt).toMatchObject({
			channel: 'sms',
			decision: 'allowed',
			code: 'ALLOWED',
			source: 'manual',
			actorId: agent.id,
			fromPhone: '+14155550100',
			recipientLocalTime: '2026-12-07T15:00-05:00',
			recipientTimeZone: 'America/New_York',
			ruleSet: expect.objectContaining({ name: DEFAULT_RULE_SET.name })
		});
		const [message] = await t.db.select().from(smsMessages).where(eq(smsMessages.id, result.message.id));
		expect(message?.attemptId).toBe(attempt?.id);
		// A second text goes on in the same thread, gated again.
		const again = await startTextThread(deps(), { to, body: 'One more thing', actor: agent });
		expect(again.thread.id).toBe(result.thread.id);
		expect(await attemptsTo(to)).toHaveLength(2);
	});

	it('refuses a number opted out of calls (either channel blocks both), keeps the attempt and writes no message', async () => {
		const to = freshNy();
		await recordConsent(t.db, { phone: to, channel: 'voice', action: 'opt_out', source: 'agent' });
		await expect(startTextThread(deps(), { to, body: 'Hi', actor: agent })).rejects.toMatchObject({ code: 'DNC_BLOCKED', kind: 'FORBIDDEN' });
		expect(await attemptsTo(to)).toEqual([expect.objectContaining({ channel: 'sms', decision: 'refused', code: 'DNC_BLOCKED' })]);
		expect(await messagesTo(to)).toBe(0);
		expect(await t.db.select().from(smsThreads).where(eq(smsThreads.customerPhone, to))).toEqual([]);
	});

	it('refuses outside the recipient-local window with the rule, their local time and when texting opens', async () => {
		const to = freshNy();
		// 21:30 in New York.
		const error = await startTextThread(deps(new Date('2026-12-08T02:30:00Z')), { to, body: 'Late', actor: agent }).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toMatchObject({
			code: 'OUTSIDE_CALLING_HOURS',
			details: { rule: 'OUTSIDE_CALLING_HOURS', recipientLocalTime: '2026-12-07T21:30-05:00', opensAt: '2026-12-08T13:00:00.000Z' }
		});
		expect(await attemptsTo(to)).toEqual([expect.objectContaining({ channel: 'sms', decision: 'refused', code: 'OUTSIDE_CALLING_HOURS' })]);
		expect(await messagesTo(to)).toBe(0);
	});

	it('counts texts and calls together toward Florida’s three attempts per 24 hours', async () => {
		const to = freshFl();
		const rules = { ...DEFAULT_RULE_SET, recallGapMinutes: 0 };
		const at = (minutes: number) => new Date(AFTERNOON.getTime() + minutes * 60_000);
		await t.db.transaction((tx) => gateAttempt(tx, { actor: agent, to, channel: 'voice', source: 'manual', now: at(0), rules }));
		await t.db.transaction((tx) => gateAttempt(tx, { actor: agent, to, channel: 'voice', source: 'manual', now: at(1), rules }));
		await startTextThread(deps(at(2), rules), { to, body: 'Third', actor: agent });
		await expect(startTextThread(deps(at(3), rules), { to, body: 'Fourth', actor: agent })).rejects.toMatchObject({
			code: 'MAX_ATTEMPTS',
			details: { opensAt: new Date(at(0).getTime() + 24 * 3600_000).toISOString() }
		});
		expect((await attemptsTo(to)).map((a) => `${a.channel}:${a.code}`)).toEqual(['voice:ALLOWED', 'voice:ALLOWED', 'sms:ALLOWED', 'sms:MAX_ATTEMPTS']);
		expect(await messagesTo(to)).toBe(1);
	});

	it('refuses a number that is not one (a short code) before choosing a sender, and keeps the attempt', async () => {
		await expect(startTextThread(deps(), { to: '56789', body: 'Hi', actor: agent })).rejects.toMatchObject({ code: 'SHORT_CODE' });
		expect(await attemptsTo('56789')).toEqual([expect.objectContaining({ channel: 'sms', decision: 'refused', code: 'SHORT_CODE' })]);
	});

	it('refuses an empty text before the gate, and another agent’s assigned conversation', async () => {
		const to = freshNy();
		await expect(startTextThread(deps(), { to, body: '  ', actor: agent })).rejects.toMatchObject({ code: 'EMPTY_BODY' });
		expect(await attemptsTo(to)).toEqual([]);
		await startTextThread(deps(), { to, body: 'Mine', actor: agent });
		await expect(startTextThread(deps(), { to, body: 'Mine too', actor: other })).rejects.toMatchObject({ code: 'THREAD_ASSIGNED_ELSEWHERE' });
		expect(await messagesTo(to)).toBe(1);
	});
});
