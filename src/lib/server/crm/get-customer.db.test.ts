import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../db/test-db';
import { AppError } from '../errors';
import { getCustomer } from './get-customer';
import { listTimeline } from './list-timeline';
import { recordActivity } from './record-activity';
import { recordUnknownCaller } from './record-unknown-caller';
import { makeCustomer, makeStaff } from './test-factories';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
});
afterAll(() => t.close());

describe('getCustomer', () => {
	it('returns the record with phones in entry order and an empty timeline', async () => {
		const created = await makeCustomer(t.db, {
			firstName: 'Rosa',
			lastName: 'Parks',
			notes: 'VIP',
			phones: [
				{ number: '415 555 0120', label: 'home' },
				{ number: '415 555 0121', label: 'mobile', isPrimary: true }
			]
		});
		const record = await getCustomer(t.db, { id: created.id });
		expect(record).toEqual(created);
		expect(record.phones.map((p) => p.label)).toEqual(['home', 'mobile']);
		expect(record.timeline).toEqual({ items: [], nextCursor: null });
	});

	it('says NOT_FOUND with CUSTOMER_NOT_FOUND for an unknown id', async () => {
		await expect(getCustomer(t.db, { id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' })).rejects.toMatchObject({
			kind: 'NOT_FOUND',
			code: 'CUSTOMER_NOT_FOUND'
		});
	});

	it.each(['nope', '', '3f2504e0-4f89-41d3-9a0c-0305e82c330', "1' or '1'='1"])(
		'says BAD_REQUEST for the malformed id %j',
		async (id) => {
			const error = await getCustomer(t.db, { id }).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(AppError);
			expect(error).toMatchObject({ kind: 'BAD_REQUEST', code: 'INVALID_CUSTOMER_ID' });
		}
	);
});

describe('timeline', () => {
	it('lists activities newest first and pages with a cursor', async () => {
		const agent = await makeStaff(t.db);
		const c = await makeCustomer(t.db);
		const base = Date.UTC(2025, 5, 1);
		for (let i = 0; i < 5; i++) {
			await recordActivity(t.db, {
				customerId: c.id,
				kind: i % 2 ? 'sms' : 'call',
				occurredAt: new Date(base + i * 60_000),
				actorId: agent.id,
				summary: `event ${i}`,
				data: { n: i }
			});
		}
		// Two events in the same millisecond still page without loss or repeats.
		await recordActivity(t.db, { customerId: c.id, kind: 'note', occurredAt: new Date(base + 2 * 60_000), summary: 'tie' });

		const record = await getCustomer(t.db, { id: c.id, timelineLimit: 4 });
		expect(record.timeline.items.map((a) => a.summary).slice(0, 2)).toEqual(['event 4', 'event 3']);
		expect(record.timeline.items[0]).toMatchObject({
			kind: 'call',
			actorId: agent.id,
			data: { n: 4 },
			occurredAt: new Date(base + 4 * 60_000).toISOString()
		});
		expect(record.timeline.nextCursor).not.toBeNull();

		const rest = await listTimeline(t.db, { customerId: c.id, limit: 4, before: record.timeline.nextCursor });
		const all = [...record.timeline.items, ...rest.items].map((a) => a.summary);
		expect(all).toHaveLength(6);
		expect(new Set(all).size).toBe(6);
		expect(all.at(-1)).toBe('event 0');
		expect(rest.nextCursor).toBeNull();
	});

	it('rejects a garbled cursor clearly', async () => {
		const c = await makeCustomer(t.db);
		await expect(listTimeline(t.db, { customerId: c.id, before: 'garbage' })).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
	});

	it('refuses to record an activity for an unknown customer', async () => {
		await expect(
			recordActivity(t.db, { customerId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', kind: 'note' })
		).rejects.toMatchObject({ code: 'CUSTOMER_NOT_FOUND' });
	});
});

describe('recordUnknownCaller', () => {
	it('makes an unknown-caller lead once and finds it the next time', async () => {
		const first = await t.db.transaction((tx) => recordUnknownCaller(tx, { phone: '+1 (646) 555-0177' }));
		expect(first.created).toBe(true);
		expect(first.customer).toMatchObject({
			kind: 'lead',
			status: 'new',
			source: 'unknown-caller',
			displayName: 'Unknown caller'
		});
		const again = await t.db.transaction((tx) => recordUnknownCaller(tx, { phone: '646.555.0177' }));
		expect(again).toEqual({ customer: first.customer, created: false });
	});

	it('leaves no lead behind when the transaction it ran in rolls back', async () => {
		await expect(
			t.db.transaction(async (tx) => {
				await recordUnknownCaller(tx, { phone: '+16465550179' });
				throw new Error('the call could not be recorded');
			})
		).rejects.toThrow('the call could not be recorded');
		const after = await t.db.transaction((tx) => recordUnknownCaller(tx, { phone: '+16465550179' }));
		expect(after.created).toBe(true);
	});

	it('returns the existing customer for a known number', async () => {
		const known = await makeCustomer(t.db, { phones: [{ number: '646 555 0178' }] });
		const result = await t.db.transaction((tx) => recordUnknownCaller(tx, { phone: '+16465550178' }));
		expect(result.created).toBe(false);
		expect(result.customer.id).toBe(known.id);
	});
});
