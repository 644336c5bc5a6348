/**
 * A burst of new calls at once, each delivered twice at the same moment (the carrier's retry
 * racing the first attempt): the one-statement archive write and the grouped routing-decision
 * writes (record-incoming-call.ts) must leave exactly what one delivery at a time would: one
 * call row, one `received` and one `queued` event per call, one lead per unknown number, a
 * known caller on their own record, the reporting log's `offered` and `queued` once per call
 * (the queue's interval counting each call once), and the same TwiML to both attempts.
 */
import { and, eq, inArray, sum } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callEvents, calls } from '../db/schema/calls';
import { customerPhones } from '../db/schema/crm';
import { callLog, reportIntervals } from '../db/schema/reporting';
import { webhookDeliveries } from '../db/schema/webhooks';
import { ACCOUNT_SID, createVoiceHarness, newCallSid, type VoiceHarness } from './test-harness';
import { VOICE_PATHS } from './voice-paths';

const NOBODY_NUMBER = '+14155550102';
const CALLS = 30;

let h: VoiceHarness;
beforeAll(async () => {
	h = await createVoiceHarness();
	// Nobody has the skill, so every caller waits in line.
	await h.addQueue(NOBODY_NUMBER, 'nobody', ['nobody-has-this']);
}, 60_000);
afterAll(() => h.close());

const incoming = (callSid: string, from: string) => ({ CallSid: callSid, AccountSid: ACCOUNT_SID, From: from, To: NOBODY_NUMBER, CallStatus: 'ringing', Direction: 'inbound' });

describe('a burst of concurrent incoming calls', () => {
	it('archives each call (each delivered twice at once), its events and its caller exactly once, and answers both attempts alike', async () => {
		const known = '+12125550177';
		const customerId = await h.addCustomer(known, 'Grace');
		const before = await h.counts();
		const offeredIn = async () =>
			Number((await h.testDb.db.select({ n: sum(reportIntervals.offered) }).from(reportIntervals).where(and(eq(reportIntervals.queue, 'nobody'), eq(reportIntervals.agentId, ''))))[0]?.n ?? 0);
		const offeredBefore = await offeredIn();
		const burst = Array.from({ length: CALLS }, (_, i) => ({
			sid: newCallSid(),
			// Every fifth call is the known customer; the rest come from numbers nobody knows.
			from: i % 5 === 0 ? known : `+1646555${String(1000 + i).padStart(4, '0')}`
		}));
		const answers = await Promise.all(
			burst.flatMap(({ sid, from }) => [0, 1].map(async () => ({ sid, ...(await h.post(VOICE_PATHS.incoming, incoming(sid, from)).then(async (r) => ({ status: r.status, twiml: await r.text() }))) })))
		);
		for (const a of answers) expect(a.status, a.twiml).toBe(200);
		for (const { sid } of burst) {
			const both = answers.filter((a) => a.sid === sid).map((a) => a.twiml);
			expect(both[0]).toContain('<Enqueue');
			expect(both[1]).toBe(both[0]);
		}

		const sids = burst.map((c) => c.sid);
		const rows = await h.testDb.db.select().from(calls).where(inArray(calls.callSid, sids));
		expect(rows).toHaveLength(CALLS);
		for (const row of rows) {
			expect(row.queue).toBe('nobody');
			expect(row.queuedAt).not.toBeNull();
			const kinds = (await h.testDb.db.select({ kind: callEvents.kind }).from(callEvents).where(eq(callEvents.callId, row.id))).map((e) => e.kind).sort();
			expect(kinds, row.callSid).toEqual(['queued', 'received']);
			const logged = await h.testDb.db.select().from(callLog).where(eq(callLog.callId, row.id));
			expect(logged.map((e) => e.type).sort(), row.callSid).toEqual(['offered', 'queued']);
			for (const e of logged) expect({ queue: e.queue, direction: e.direction, started: e.callStartedAt.getTime() }).toEqual({ queue: 'nobody', direction: 'inbound', started: logged.find((l) => l.type === 'offered')!.at.getTime() });
		}
		expect(await offeredIn()).toBe(offeredBefore + CALLS);
		for (const row of rows.filter((r) => r.fromE164 === known)) expect(row.customerId).toBe(customerId);
		// One lead per unknown number, holding just that number; the known customer got no second record.
		const unknown = burst.filter((c) => c.from !== known).map((c) => c.from);
		const phones = await h.testDb.db.select().from(customerPhones).where(inArray(customerPhones.e164, [...unknown, known]));
		expect(phones).toHaveLength(unknown.length + 1);
		const after = await h.counts();
		expect(after.customers - before.customers).toBe(unknown.length);
		expect(after.calls - before.calls).toBe(CALLS);
		expect(after.events - before.events).toBe(2 * CALLS);
		const ledger = await h.testDb.db.select().from(webhookDeliveries).where(inArray(webhookDeliveries.kind, ['voice.incoming', 'voice.routing']));
		expect(ledger.filter((d) => sids.some((sid) => d.dedupeKey.includes(sid)))).toHaveLength(2 * CALLS);
	});

	it('archives a call whose caller ID holds a NUL with the rest of its burst (PostgreSQL text cannot hold one)', async () => {
		// Valid, signed form data: the NUL becomes U+FFFD once the signature is checked
		// (twilio-webhook.ts), instead of failing the grouped statement for the caller.
		const good = Array.from({ length: 12 }, () => newCallSid());
		const nul = newCallSid();
		const answers = await Promise.all([
			...good.map((sid, i) => h.post(VOICE_PATHS.incoming, incoming(sid, `+1646556${String(1000 + i).padStart(4, '0')}`)).then(async (r) => ({ sid, status: r.status, twiml: await r.text() }))),
			h.post(VOICE_PATHS.incoming, incoming(nul, '+1646557\u00000000')).then(async (r) => ({ sid: nul, status: r.status, twiml: await r.text() }))
		]);
		for (const a of answers) expect(a.status, a.twiml).toBe(200);
		for (const a of answers) expect(a.twiml, a.sid).toContain('<Enqueue');
		const rows = await h.testDb.db.select({ sid: calls.callSid, fromRaw: calls.fromRaw, fromE164: calls.fromE164 }).from(calls).where(inArray(calls.callSid, [...good, nul]));
		expect(rows.map((r) => r.sid).sort()).toEqual([...good, nul].sort());
		expect(rows.find((r) => r.sid === nul)).toMatchObject({ fromRaw: '+1646557\uFFFD0000', fromE164: null });
	});
});
