import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaff } from '../auth/test-helpers';
import { consentLedger, outboundAttempts } from '../db/schema/compliance';
import { createTestDb, type TestDb } from '../db/test-db';
import { AppError } from '../errors';
import { checkConsent } from './check-consent';
import { exportConsentCsv } from './export-consent-csv';
import { gateOutbound } from './gate-outbound';
import { listConsentEntries, listOutboundAttempts } from './list-consent';
import { addToDoNotContact, removeFromDoNotContact } from './manage-consent';
import { recordCarrierOptOut } from './record-carrier-opt-out';
import { recordConsent } from './record-consent';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
});
afterAll(() => t.close());

let n = 0;
/** A fresh US number per test, so tests never see each other's entries. */
const freshPhone = () => `+1415555${String(1000 + ++n).padStart(4, '0')}`;

async function counts() {
	const [l] = await t.db.select({ n: count() }).from(consentLedger);
	const [a] = await t.db.select({ n: count() }).from(outboundAttempts);
	return { ledger: l?.n ?? 0, attempts: a?.n ?? 0 };
}

const gate = (to: string, channel: 'sms' | 'voice' = 'sms', actor: { id: string } | null = null) =>
	t.db.transaction((tx) => gateOutbound(tx, { to, channel, actor, from: '+14155550000' }));

describe('consent ledger', () => {
	it('derives the current state from the latest entry, per channel with `all` covering both', async () => {
		const phone = freshPhone();
		expect(await checkConsent(t.db, { phone, channel: 'sms' })).toMatchObject({ state: 'none', entry: null });
		await recordConsent(t.db, {
			phone,
			channel: 'all',
			action: 'opt_out',
			source: 'keyword',
			keyword: 'STOP',
			messageSid: 'SM1'
		});
		expect((await checkConsent(t.db, { phone, channel: 'sms' })).state).toBe('opted_out');
		expect((await checkConsent(t.db, { phone, channel: 'voice' })).state).toBe('opted_out');
		await recordConsent(t.db, { phone, channel: 'sms', action: 'opt_in', source: 'keyword', keyword: 'START' });
		expect((await checkConsent(t.db, { phone, channel: 'sms' })).state).toBe('opted_in');
		expect((await checkConsent(t.db, { phone, channel: 'voice' })).state).toBe('opted_out');
	});

	it('orders by when the entry happened, then by recording order', async () => {
		const phone = freshPhone();
		const at = new Date('2026-01-01T00:00:00Z');
		await recordConsent(t.db, { phone, channel: 'all', action: 'opt_in', source: 'import', occurredAt: at });
		await recordConsent(t.db, { phone, channel: 'all', action: 'opt_out', source: 'import', occurredAt: at });
		expect((await checkConsent(t.db, { phone, channel: 'sms' })).state).toBe('opted_out');
		// An older imported entry recorded later does not override a newer one.
		await recordConsent(t.db, {
			phone,
			channel: 'all',
			action: 'opt_in',
			source: 'import',
			occurredAt: new Date('2025-01-01T00:00:00Z')
		});
		expect((await checkConsent(t.db, { phone, channel: 'sms' })).state).toBe('opted_out');
	});

	it('stores numbers as E.164 and refuses an invalid one', async () => {
		const entry = await recordConsent(t.db, { phone: '(415) 555-0177', channel: 'all', action: 'opt_out', source: 'api' });
		expect(entry.phone).toBe('+14155550177');
		const before = await counts();
		await expect(recordConsent(t.db, { phone: '12', channel: 'all', action: 'opt_out', source: 'api' })).rejects.toMatchObject({
			code: 'INVALID_PHONE'
		});
		expect(await counts()).toEqual(before);
	});

	it('uses the phone/latest index for the state lookup', async () => {
		if (t.database.driver !== 'postgres') return expect(t.database.driver).toBe('pglite');
		await t.db.execute('set enable_seqscan = off');
		const plan = await t.db.execute(
			"explain select * from consent_ledger where phone = '+14155550100' and channel in ('sms','all') order by occurred_at desc, id desc limit 1"
		);
		await t.db.execute('set enable_seqscan = on');
		expect(JSON.stringify(plan)).toMatch(/consent_ledger_phone_latest_idx/);
	});
});

describe('gateOutbound', () => {
	it('allows a number with no entry and records why', async () => {
		const agent = await makeStaff(t.db, 'agent');
		const phone = freshPhone();
		const decision = await gate(phone, 'sms', agent);
		expect(decision).toMatchObject({ allowed: true, code: 'NO_ENTRY' });
		const [row] = await t.db.select().from(outboundAttempts).where(eq(outboundAttempts.id, decision.attemptId));
		expect(row).toMatchObject({
			decision: 'allowed',
			code: 'NO_ENTRY',
			toPhone: phone,
			actorId: agent.id,
			channel: 'sms',
			fromPhone: '+14155550000'
		});
	});

	it('refuses after STOP with the date and source, and records the refusal', async () => {
		const phone = '+14155550100';
		await recordConsent(t.db, {
			phone,
			channel: 'all',
			action: 'opt_out',
			source: 'keyword',
			keyword: 'STOP',
			occurredAt: new Date('2026-11-24T09:00:00Z')
		});
		const decision = await gate(phone);
		expect(decision.allowed).toBe(false);
		if (decision.allowed) return;
		expect(decision.error).toBeInstanceOf(AppError);
		expect(decision.error).toMatchObject({ kind: 'FORBIDDEN', code: 'DNC_BLOCKED' });
		expect(decision.error.message).toBe(
			'+1 415 555 0100 opted out by keyword STOP on 2026-11-24; they must text START to receive messages.'
		);
		expect(decision.error.details).toMatchObject({ phone, source: 'keyword', occurredAt: '2026-11-24T09:00:00.000Z' });
		const [row] = await t.db.select().from(outboundAttempts).where(eq(outboundAttempts.id, decision.attemptId));
		expect(row).toMatchObject({
			decision: 'refused',
			code: 'DNC_BLOCKED',
			reason: decision.reason,
			consentEntryId: decision.consent.entry?.id
		});
		// Voice is covered by the same STOP.
		expect((await gate(phone, 'voice')).allowed).toBe(false);
	});

	it('allows again after START and says so', async () => {
		const phone = freshPhone();
		await recordConsent(t.db, { phone, channel: 'all', action: 'opt_out', source: 'keyword', keyword: 'STOP' });
		await recordConsent(t.db, { phone, channel: 'sms', action: 'opt_in', source: 'keyword', keyword: 'START' });
		const decision = await gate(phone);
		expect(decision).toMatchObject({ allowed: true, code: 'CONSENT_OK' });
		expect(decision.reason).toMatch(/^Opted in \(by keyword START\) on \d{4}-\d\d-\d\d\.$/);
	});

	it('names the manager who added a number by hand, with the reason', async () => {
		const manager = await makeStaff(t.db, 'manager');
		const phone = freshPhone();
		const entry = await addToDoNotContact(t.db, manager, { phone, reason: 'Asked on a call not to be contacted' });
		expect(entry).toMatchObject({ action: 'opt_out', source: 'agent', channel: 'all', userId: manager.id });
		const decision = await gate(phone, 'voice');
		expect(decision.allowed).toBe(false);
		expect(decision.reason).toMatch(
			new RegExp(
				`was put on the Do-Not-Contact list by ${manager.name} on \\d{4}-\\d\\d-\\d\\d \\(Asked on a call not to be contacted\\); a manager must remove`
			)
		);
		await removeFromDoNotContact(t.db, manager, { phone, reason: 'Gave consent again in writing' });
		expect((await gate(phone, 'voice')).allowed).toBe(true);
	});

	it('refuses a manual entry without a reason, writing nothing', async () => {
		const manager = await makeStaff(t.db, 'manager');
		const before = await counts();
		await expect(addToDoNotContact(t.db, manager, { phone: freshPhone(), reason: ' ' })).rejects.toMatchObject({
			code: 'INVALID_CONSENT_ENTRY',
			message: 'Give a reason (at least 3 characters); it is kept in the audit trail.'
		});
		expect(await counts()).toEqual(before);
	});

	it('sees a STOP recorded concurrently with many gate calls either before or after, never half', async () => {
		const phone = freshPhone();
		const results = await Promise.all([
			...Array.from({ length: 5 }, () => gate(phone)),
			recordConsent(t.db, { phone, channel: 'all', action: 'opt_out', source: 'keyword', keyword: 'STOP' }),
			...Array.from({ length: 5 }, () => gate(phone))
		]);
		const decisions = results.filter((r): r is Awaited<ReturnType<typeof gate>> => 'attemptId' in r);
		const stop = results.find((r) => 'keyword' in r);
		expect(decisions).toHaveLength(10);
		const attempts = await t.db.select().from(outboundAttempts).where(eq(outboundAttempts.toPhone, phone));
		// Every refusal came after the entry; every allowance before it.
		for (const a of attempts) {
			if (a.decision === 'refused') expect(a.consentEntryId).toBe(stop && 'id' in stop ? stop.id : -1);
			else expect(a.consentEntryId).toBeNull();
		}
		expect((await gate(phone)).allowed).toBe(false);
	});
});

describe('recordCarrierOptOut', () => {
	it('adds one sms opt-out per failed message', async () => {
		const phone = freshPhone();
		const first = await recordCarrierOptOut(t.db, { phone, messageSid: 'SM21610a', from: '+14155550000' });
		const again = await recordCarrierOptOut(t.db, { phone, messageSid: 'SM21610a', from: '+14155550000' });
		expect(again.id).toBe(first.id);
		expect(first).toMatchObject({ source: 'carrier_error', channel: 'sms', action: 'opt_out' });
		const decision = await gate(phone);
		expect(decision.reason).toMatch(/is unsubscribed at the carrier \(error 21610\) since \d{4}-\d\d-\d\d; they must text START/);
		expect((await gate(phone, 'voice')).allowed).toBe(true);
	});
});

describe('audit lists and CSV export', () => {
	it('filters and pages ledger entries and attempts, newest first', async () => {
		const manager = await makeStaff(t.db, 'manager');
		const phone = freshPhone();
		for (let i = 0; i < 5; i++) {
			await recordConsent(t.db, {
				phone,
				channel: 'all',
				action: i % 2 ? 'opt_in' : 'opt_out',
				source: 'agent',
				userId: manager.id,
				reason: `r${i}`,
				occurredAt: new Date(Date.UTC(2026, 0, 1 + i))
			});
		}
		const first = await listConsentEntries(t.db, { phone, limit: 2 });
		expect(first.items.map((e) => e.reason)).toEqual(['r4', 'r3']);
		expect(first.items[0]?.userName).toBe(manager.name);
		const second = await listConsentEntries(t.db, { phone, limit: 2, cursor: first.nextCursor ?? undefined });
		expect(second.items.map((e) => e.reason)).toEqual(['r2', 'r1']);
		const third = await listConsentEntries(t.db, { phone, limit: 2, cursor: second.nextCursor ?? undefined });
		expect(third).toMatchObject({ items: [{ reason: 'r0' }], nextCursor: null });
		expect((await listConsentEntries(t.db, { phone, action: 'opt_in' })).items).toHaveLength(2);
		expect((await listConsentEntries(t.db, { phone, from: new Date(Date.UTC(2026, 0, 4)) })).items).toHaveLength(2);

		await gate(phone);
		await recordConsent(t.db, { phone, channel: 'all', action: 'opt_in', source: 'agent', userId: manager.id });
		await gate(phone, 'sms', manager);
		const refused = await listOutboundAttempts(t.db, { phone, decision: 'refused' });
		expect(refused.items).toHaveLength(1);
		const all = await listOutboundAttempts(t.db, { phone, limit: 1 });
		expect(all.items[0]).toMatchObject({ decision: 'allowed', actorName: manager.name });
		const next = await listOutboundAttempts(t.db, { phone, limit: 1, cursor: all.nextCursor ?? undefined });
		expect(next.items[0]?.decision).toBe('refused');
		await expect(listOutboundAttempts(t.db, { cursor: 'nonsense' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
	});

	it('exports the ledger as CSV with formula cells defused', async () => {
		const phone = freshPhone();
		await recordConsent(t.db, {
			phone,
			channel: 'all',
			action: 'opt_out',
			source: 'api',
			reason: '=HYPERLINK("http://evil","click"), really'
		});
		const csv = await exportConsentCsv(t.db, { phone });
		const lines = csv.split('\r\n');
		expect(lines[0]).toBe('occurred_at,phone,channel,action,source,keyword,message_sid,user,reason');
		expect(lines[1]).toMatch(
			new RegExp(
				`^\\d{4}-\\d\\d-\\d\\dT[^,]+Z,'\\${phone},all,opt_out,api,,,,"'=HYPERLINK\\(""http://evil"",""click""\\), really"$`
			)
		);
		expect(lines).toHaveLength(3);
	});
});
