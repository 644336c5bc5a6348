/**
 * Outbound texts queue per Switchboard number instead of failing: recorded `waiting` with a
 * send-sms job in the same transaction, handed to the carrier in order at the number's
 * throughput, and checked against the ledger again right before each send.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaff } from '../auth/test-helpers';
import { recordConsent } from '../compliance/record-consent';
import { outboundAttempts } from '../db/schema/compliance';
import { smsMessages } from '../db/schema/sms';
import { rowsOf } from '../db/rows';
import { createTestDb, type TestDb } from '../db/test-db';
import type { Jobs } from '../jobs/jobs';
import { createTestJobs } from '../jobs/test-jobs';
import { setLogLevel } from '../log';
import type { MessageRef, SendMessageInput } from '../adapters/telephony/port';
import { receiveInboundSms } from './receive-inbound-sms';
import { countSegments } from './segments';
import { sendSms } from './send-sms';
import { sendSpacingMs, senderKind, senderRate } from './sender-rate';
import { dispatchAll, dispatchOnce, localTelephony, messageSid, SILENT_HOT } from './test-helpers';

let t: TestDb;
let queueOnly: Jobs;
let agent: { id: string; name: string };
beforeAll(async () => {
	setLogLevel('error');
	t = await createTestDb();
	queueOnly = await createTestJobs(t, { adapters: localTelephony() as never, hot: SILENT_HOT }, { work: false });
	agent = await makeStaff(t.db, 'agent');
}, 60_000);
afterAll(async () => {
	await queueOnly.stop().catch(() => {});
	await t.close();
});

let n = 0;
const freshPhone = () => `+1303555${String(1000 + ++n).padStart(4, '0')}`;
let numbers = 0;
/** A Switchboard number of its own per test, so queues never mix. */
const freshSender = () => `+1415556${String(1000 + ++numbers).padStart(4, '0')}`;

const rows = (ourPhone: string) =>
	t.db.select().from(smsMessages).where(eq(smsMessages.fromPhone, ourPhone)).orderBy(asc(smsMessages.queueSeq));
const jobsFor = async (ourPhone: string) => {
	const result: unknown = await t.db.execute(sql`select state from pgboss.job where name = 'send-sms' and singleton_key = ${ourPhone}`);
	return rowsOf<{ state: string }>(result);
};

describe('sender rates', () => {
	it('reads the rate from the number, then its kind, in segments per second', () => {
		const rates = { longCode: 1, tollFree: 3, overrides: { '+14155550100': 10 } };
		expect(senderKind('+18005550100')).toBe('toll_free');
		expect(senderKind('+14155550101')).toBe('long_code');
		expect(senderRate(rates, '+18775550100')).toBe(3);
		expect(senderRate(rates, '+14155550100')).toBe(10);
		expect(sendSpacingMs(rates, '+14155550199', 1)).toBe(1000);
		expect(sendSpacingMs(rates, '+14155550199', 3)).toBe(3000);
		expect(sendSpacingMs(rates, '+18005550100', 1)).toBe(334);
	});
});

describe('the send queue', () => {
	it('records each send as waiting with its own send-sms job, in the same transaction; a refusal queues nothing', async () => {
		const ours = freshSender();
		const to = freshPhone();
		for (const body of ['one', 'two', 'three']) {
			const { message } = await sendSms(t.db, { jobs: queueOnly }, { to, from: ours, body, actor: agent });
			expect(message).toMatchObject({ status: 'waiting', messageSid: null, body });
		}
		expect((await rows(ours)).map((r) => [r.body, r.queueSeq, r.status])).toEqual([
			['one', 1, 'waiting'],
			['two', 2, 'waiting'],
			['three', 3, 'waiting']
		]);
		expect((await jobsFor(ours)).map((j) => j.state)).toEqual(['created', 'created', 'created']);

		await recordConsent(t.db, { phone: to, channel: 'all', action: 'opt_out', source: 'keyword', keyword: 'STOP' });
		await expect(sendSms(t.db, { jobs: queueOnly }, { to, from: ours, body: 'four', actor: agent })).rejects.toMatchObject({
			code: 'DNC_BLOCKED'
		});
		expect(await rows(ours)).toHaveLength(3);
		expect(await jobsFor(ours)).toHaveLength(3);
	});

	it('cancels a waiting text when STOP arrives before its turn, with the reason, and sends the rest in order', async () => {
		const ours = freshSender();
		const stays = freshPhone();
		const stops = freshPhone();
		const { carrier, telephony } = localTelephony();
		for (const [to, body] of [
			[stops, 'first'],
			[stays, 'second'],
			[stops, 'third']
		] as const) {
			await sendSms(t.db, { jobs: queueOnly }, { to, from: ours, body, actor: agent });
		}
		// The first goes out; then the customer texts STOP while the third still waits.
		expect(await dispatchOnce({ db: t.db, telephony }, ours)).toMatchObject({ kind: 'sent' });
		await recordConsent(t.db, { phone: stops, channel: 'all', action: 'opt_out', source: 'keyword', keyword: 'STOP' });
		expect((await dispatchAll({ db: t.db, telephony }, ours)).map((o) => o.kind)).toEqual(['sent', 'canceled']);

		const after = await rows(ours);
		expect(after.map((r) => [r.body, r.status, r.messageSid === null])).toEqual([
			['first', 'queued', false],
			['second', 'queued', false],
			['third', 'canceled', true]
		]);
		expect(after[2]?.errorMessage).toMatch(
			/^Not sent: \+1 303 555 \d{4} opted out by keyword STOP on \d{4}-\d\d-\d\d; they must text START to receive messages\.$/
		);
		expect([...carrier.messages.values()].map((m) => m.body)).toEqual(['first', 'second']);
		// Both checks are in the audit trail: allowed when recorded, refused right before sending.
		const attempts = await t.db
			.select()
			.from(outboundAttempts)
			.where(and(eq(outboundAttempts.toPhone, stops), eq(outboundAttempts.fromPhone, ours)))
			.orderBy(asc(outboundAttempts.attemptedAt));
		expect(attempts.map((a) => a.decision)).toEqual(['allowed', 'allowed', 'allowed', 'refused']);
		expect(attempts.at(-1)).toMatchObject({ id: after[2]?.attemptId, code: 'DNC_BLOCKED', actorId: agent.id });
	});
});

describe('the send queue under a burst (real pg-boss workers, virtual time)', () => {
	/**
	 * The dispatcher's time, advanced only by its own waits: the carrier's observed send times are
	 * exact, so the rate is checked on them rather than on the wall clock. `onAdvance` runs when time
	 * moves, which is where a customer's STOP lands while texts wait for their slot.
	 */
	function virtualClock(onAdvance: (now: number) => Promise<void>) {
		let now = Date.now();
		return {
			now: () => now,
			sleep: async (ms: number) => {
				now += ms;
				await onAdvance(now);
			}
		};
	}

	it('sends 20 concurrent texts from one number in the order accepted, within its rate, and a STOP while they wait stops the rest', async () => {
		const ours = freshSender();
		// Twilio's long-code default: one segment per second.
		const rates = { longCode: 1, tollFree: 3, overrides: {} };
		const customers = Array.from({ length: 4 }, freshPhone);
		// Which customer texts STOP is chosen when it happens: concurrent sends take their places in any order.
		let stopper = '';
		let accepted: Promise<unknown> = Promise.resolve();
		// Every fifth text is two segments long, so it holds the number's slot for two seconds.
		const bodyOf = (i: number) => (i % 5 === 0 ? `burst ${i} `.padEnd(200, 'x') : `burst ${i}`);

		const { carrier, telephony } = localTelephony();
		let stop: { at: number; waiting: number } | null = null;
		const clock = virtualClock(async (now) => {
			if (stop || now - start < 7_500) return;
			// The customer texts STOP through the inbound path while most of the burst still waits.
			// Every send was recorded before the STOP (one recorded after it would be refused at once, not queued).
			await accepted;
			const queue = await rows(ours);
			const waiting = queue.filter((r) => r.status === 'waiting');
			const handedTo = new Set(queue.filter((r) => r.status !== 'waiting').map((r) => r.toPhone));
			// A customer with texts on both sides of the STOP: some already handed over, some still waiting.
			stopper = waiting.find((r) => handedTo.has(r.toPhone))?.toPhone ?? '';
			stop = { at: now, waiting: waiting.length };
			await receiveInboundSms(t.db, { messageSid: messageSid(), from: stopper, to: ours, body: 'stop' }, { company: 'Switchboard' });
		});
		const start = clock.now();
		const handed: { at: number; to: string; body: string }[] = [];
		const recording = {
			sendMessage: (m: SendMessageInput): Promise<MessageRef> => {
				handed.push({ at: clock.now(), to: m.to, body: m.body });
				return telephony.sendMessage(m);
			}
		};
		// One pg-boss per database, as in the app: NOTIFY wakes only the first instance's workers.
		await queueOnly.stop();
		const workers = await createTestJobs(t, {
			// The dispatcher only sends; nothing else of the adapters is used.
			adapters: { telephony: recording } as never,
			hot: SILENT_HOT,
			settings: { publicBaseUrl: 'https://switchboard.test', smsRates: rates },
			clock
		});
		try {
			const sends = Promise.all(
				Array.from({ length: 20 }, (_, i) =>
					sendSms(t.db, { jobs: workers }, { to: customers[i % 4] ?? '', from: ours, body: bodyOf(i), actor: agent })
				)
			);
			accepted = sends.catch(() => {});
			const results = await sends;
			expect(results.every((r) => r.message.status === 'waiting')).toBe(true);

			// Wait on the condition: every text left the queue (real time here is only how long the workers take).
			const deadline = Date.now() + 30_000;
			let settled = await rows(ours);
			while (settled.some((r) => r.status === 'waiting') && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 50));
				settled = await rows(ours);
			}
			expect(settled).toHaveLength(20);
			// Accepted order is the queue's order: 20 distinct places, one per concurrent send.
			expect(new Set(settled.map((r) => r.queueSeq)).size).toBe(20);
			expect(new Set(results.map((r) => r.message.id))).toEqual(new Set(settled.map((r) => r.id)));

			// The STOP came while texts still waited, and not after the stopper's last one.
			expect(stop).not.toBeNull();
			const { at: stopAt, waiting } = stop as unknown as { at: number; waiting: number };
			expect(waiting).toBeGreaterThan(0);
			expect(customers).toContain(stopper);

			const sent = settled.filter((r) => r.status === 'queued');
			const canceled = settled.filter((r) => r.status === 'canceled');
			expect(sent.length + canceled.length).toBe(20);
			// Only the stopper's texts that were still waiting were stopped; everyone else's all went out.
			expect(canceled.length).toBeGreaterThan(0);
			expect(canceled.every((r) => r.toPhone === stopper && r.messageSid === null)).toBe(true);
			expect(sent.filter((r) => r.toPhone === stopper).length).toBeGreaterThan(0);
			expect(sent.filter((r) => r.toPhone !== stopper)).toHaveLength(15);
			for (const r of canceled) {
				expect(r.errorMessage).toMatch(/^Not sent: \+1 303 555 \d{4} opted out by keyword STOP on \d{4}-\d\d-\d\d;/);
			}
			// Each stop is in the audit trail as a DNC_BLOCKED refusal, linked from the message.
			const refused = await t.db
				.select()
				.from(outboundAttempts)
				.where(and(eq(outboundAttempts.toPhone, stopper), eq(outboundAttempts.fromPhone, ours), eq(outboundAttempts.decision, 'refused')));
			expect(refused.map((a) => a.code)).toEqual(canceled.map(() => 'DNC_BLOCKED'));
			expect(new Set(refused.map((a) => a.id))).toEqual(new Set(canceled.map((r) => r.attemptId)));

			// Nothing reached the carrier for the stopper after the opt-out, and every stopped text came after every sent one of theirs.
			expect(handed.filter((h) => h.to === stopper && h.at >= stopAt)).toEqual([]);
			const lastSentToStopper = Math.max(...sent.filter((r) => r.toPhone === stopper).map((r) => r.queueSeq ?? 0));
			expect(canceled.every((r) => (r.queueSeq ?? 0) > lastSentToStopper)).toBe(true);

			// None lost, none twice, in the order accepted: the carrier was asked exactly once per sent text, in queue order.
			expect(handed.map((h) => h.body)).toEqual(sent.map((r) => r.body));
			expect(new Set(sent.map((r) => r.messageSid)).size).toBe(sent.length);
			expect(carrier.messages.size).toBe(sent.length);
			expect([...sent].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((r) => r.body)).toEqual(sent.map((r) => r.body));

			// Never above the number's rate, on the carrier's observed times: each request waits out the
			// previous text's segments, and no one-second window carries more than one segment.
			const segments = handed.map((h) => countSegments(h.body));
			expect(segments.filter((n) => n === 2).length).toBeGreaterThan(0);
			handed.slice(1).forEach((h, i) => {
				expect(h.at - (handed[i]?.at ?? 0)).toBeGreaterThanOrEqual(sendSpacingMs(rates, ours, segments[i] ?? 1));
			});
			expect(senderRate(rates, ours)).toBe(1);
			for (const first of handed) {
				expect(handed.filter((h) => h.at >= first.at && h.at < first.at + 1000)).toHaveLength(1);
			}
			// The queue kept moving: every send-sms job finished, none failed.
			expect((await jobsFor(ours)).filter((j) => j.state === 'failed')).toEqual([]);
		} finally {
			await workers.stop();
		}
	}, 60_000);
});
