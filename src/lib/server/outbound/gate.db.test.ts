import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaff } from '../auth/test-helpers';
import { recordConsent } from '../compliance/record-consent';
import { outboundAttempts } from '../db/schema/compliance';
import { createTestDb, type TestDb } from '../db/test-db';
import { gateAttempt, type GateAttemptInput } from './gate';
import { precheckDial } from './precheck-dial';
import { DEFAULT_RULE_SET } from './rule-set';

let t: TestDb;
let agent: { id: string };
beforeAll(async () => {
	t = await createTestDb();
	agent = await makeStaff(t.db, 'agent');
});
afterAll(() => t.close());

let n = 0;
/** A fresh New York number per test (EST in December). */
const freshNy = () => `+1212555${String(1000 + ++n).padStart(4, '0')}`;
/** A fresh Miami number (Florida: 08:00-20:00, 3 attempts per 24 h). */
const freshFl = () => `+1305555${String(1000 + ++n).padStart(4, '0')}`;
/** 15:00 in New York. */
const AFTERNOON = new Date('2026-12-07T20:00:00Z');

const gate = (to: string, over: Partial<GateAttemptInput> = {}) =>
	t.db.transaction((tx) =>
		gateAttempt(tx, {
			actor: agent,
			to,
			channel: 'voice',
			source: 'manual',
			now: AFTERNOON,
			rules: DEFAULT_RULE_SET,
			...over
		})
	);

const row = async (id: string) => (await t.db.select().from(outboundAttempts).where(eq(outboundAttempts.id, id)))[0];

describe('gateAttempt', () => {
	it('allows a dial inside the window and keeps the proof: rule set, ledger seen, recipient local time, who', async () => {
		const to = freshNy();
		const result = await gate(to, { campaignId: 'camp-1', leadId: 'lead-1' });
		expect(result).toMatchObject({
			ok: true,
			e164: to,
			ruleSet: 'default-2026-12',
			recipientLocalTime: '2026-12-07T15:00-05:00',
			timeZone: 'America/New_York'
		});
		if (!result.ok || !result.attemptId) throw new Error('expected an allowed attempt');
		expect(await row(result.attemptId)).toMatchObject({
			decision: 'allowed',
			code: 'ALLOWED',
			channel: 'voice',
			source: 'manual',
			actorId: agent.id,
			toPhone: to,
			attemptedAt: AFTERNOON,
			recipientLocalTime: '2026-12-07T15:00-05:00',
			recipientTimeZone: 'America/New_York',
			ruleSet: DEFAULT_RULE_SET,
			ledgerState: {
				voice: { state: 'none', entryId: null },
				sms: { state: 'none', entryId: null }
			},
			campaignId: 'camp-1',
			leadId: 'lead-1'
		});
	});

	it('refuses a number opted out of texts for a call too (either channel blocks both), naming the entry', async () => {
		const to = freshNy();
		const entry = await recordConsent(t.db, {
			phone: to,
			channel: 'sms',
			action: 'opt_out',
			source: 'keyword',
			keyword: 'STOP'
		});
		const result = await gate(to);
		expect(result).toMatchObject({
			ok: false,
			rule: 'DNC_BLOCKED',
			message: expect.stringContaining('opted out by keyword STOP')
		});
		if (result.ok) throw new Error('expected a refusal');
		expect(result.error).toMatchObject({
			kind: 'FORBIDDEN',
			code: 'DNC_BLOCKED'
		});
		expect(await row(result.attemptId)).toMatchObject({
			decision: 'refused',
			code: 'DNC_BLOCKED',
			ledgerState: {
				voice: { state: 'none', entryId: null },
				sms: { state: 'opted_out', entryId: entry.id }
			}
		});
	});

	it('refuses outside the recipient-local window with the local time and when calling opens', async () => {
		const to = freshNy();
		// 21:30 in New York.
		const result = await gate(to, { now: new Date('2026-12-08T02:30:00Z') });
		expect(result).toMatchObject({
			ok: false,
			rule: 'OUTSIDE_CALLING_HOURS',
			recipientLocalTime: '2026-12-07T21:30-05:00',
			opensAt: new Date('2026-12-08T13:00:00Z'),
			message: `It is 9:30 PM EST for ${to}; calls and texts are allowed 08:00-21:00 recipient time.`
		});
	});

	it('applies Florida at 20:00 and its three attempts per 24 hours, texts included', async () => {
		const to = freshFl();
		// 20:15 in Miami: open in New York's rules, closed in Florida's.
		expect(await gate(to, { now: new Date('2026-12-08T01:15:00Z') })).toMatchObject({
			ok: false,
			rule: 'OUTSIDE_CALLING_HOURS',
			message: expect.stringContaining('(FL: Florida Telephone Solicitation Act)')
		});
		const rules = { ...DEFAULT_RULE_SET, recallGapMinutes: 0 };
		const at = (minutes: number) => new Date(AFTERNOON.getTime() + minutes * 60_000);
		expect(await gate(to, { rules, now: at(0) })).toMatchObject({ ok: true });
		expect(await gate(to, { rules, now: at(1), channel: 'sms' })).toMatchObject({ ok: true });
		expect(await gate(to, { rules, now: at(2) })).toMatchObject({ ok: true });
		const fourth = await gate(to, { rules, now: at(3), channel: 'sms' });
		expect(fourth).toMatchObject({
			ok: false,
			rule: 'MAX_ATTEMPTS',
			opensAt: new Date(at(0).getTime() + 24 * 3600_000)
		});
		// A New York number has no such limit.
		const ny = freshNy();
		for (let i = 0; i < 5; i++) expect(await gate(ny, { rules, now: at(i) })).toMatchObject({ ok: true });
	});

	it('keeps the re-call gap between dials of one number, and texts do not start it', async () => {
		const to = freshNy();
		expect(await gate(to, { channel: 'sms' })).toMatchObject({ ok: true });
		expect(await gate(to)).toMatchObject({ ok: true });
		const soon = await gate(to, {
			now: new Date(AFTERNOON.getTime() + 9 * 60_000)
		});
		expect(soon).toMatchObject({
			ok: false,
			rule: 'RECALL_GAP',
			opensAt: new Date(AFTERNOON.getTime() + 10 * 60_000),
			message: `${to} was dialled 9 minutes ago; wait 10 minutes between dials of one number.`
		});
		expect(await gate(to, { now: new Date(AFTERNOON.getTime() + 10 * 60_000) })).toMatchObject({ ok: true });
	});

	it('refuses bad numbers before reading the ledger, each with its rule, and keeps the attempt', async () => {
		for (const [to, rule] of [
			['+1 555 123 4567', 'INVALID_NUMBER'],
			['22395', 'SHORT_CODE'],
			['+1 900 555 0100', 'PREMIUM_RATE'],
			['+44 20 7946 0958', 'INTERNATIONAL_NOT_ALLOWED']
		] as const) {
			const result = await gate(to);
			expect(result).toMatchObject({ ok: false, rule });
			if (result.ok) throw new Error('expected a refusal');
			expect(await row(result.attemptId)).toMatchObject({
				decision: 'refused',
				code: rule,
				ledgerState: null
			});
		}
	});

	it('a pre-check keeps refusals only', async () => {
		const to = freshNy();
		const allowed = await gate(to, { record: 'refusals' });
		expect(allowed).toMatchObject({ ok: true, attemptId: null });
		expect(await t.db.select().from(outboundAttempts).where(eq(outboundAttempts.toPhone, to))).toEqual([]);
		const refused = await gate('22395', { record: 'refusals' });
		expect(refused).toMatchObject({
			ok: false,
			rule: 'SHORT_CODE',
			attemptId: expect.any(String)
		});
	});

	it('serializes attempts on one number: concurrent dials inside the gap let exactly one through', async () => {
		const to = freshNy();
		const results = await Promise.all(Array.from({ length: 10 }, () => gate(to)));
		expect(results.filter((r) => r.ok)).toHaveLength(1);
		expect(results.filter((r) => !r.ok && r.rule === 'RECALL_GAP')).toHaveLength(9);
	});
});

describe('precheckDial (the Call button before the softphone connects)', () => {
	it('answers allowed without keeping an attempt, and a refusal with its rule, local time and opening, kept', async () => {
		const config = { outbound: { rules: DEFAULT_RULE_SET, clockStart: new Date('2026-12-08T02:30:00Z') } };
		const to = freshNy();
		expect(await precheckDial({ db: t.db, config }, { actorId: agent.id, to, channel: 'voice' })).toEqual({
			ok: false,
			e164: to,
			rule: 'OUTSIDE_CALLING_HOURS',
			message: `It is 9:30 PM EST for ${to}; calls and texts are allowed 08:00-21:00 recipient time.`,
			recipientLocalTime: '2026-12-07T21:30-05:00',
			timeZone: 'America/New_York',
			opensAt: '2026-12-08T13:00:00.000Z'
		});
		expect(await t.db.select().from(outboundAttempts).where(eq(outboundAttempts.toPhone, to))).toHaveLength(1);
		const daytime = { outbound: { rules: DEFAULT_RULE_SET, clockStart: AFTERNOON } };
		const other = freshNy();
		expect(await precheckDial({ db: t.db, config: daytime }, { actorId: agent.id, to: other, channel: 'voice' })).toMatchObject({ ok: true, e164: other, rule: null });
		expect(await t.db.select().from(outboundAttempts).where(eq(outboundAttempts.toPhone, other))).toEqual([]);
	});
});
