import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerPhones, customers } from '../db/schema/crm';
import { createTestDb, type TestDb } from '../db/test-db';
import { AppError } from '../errors';
import { createCustomer } from './create-customer';
import { makeStaff } from './test-factories';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
});
afterAll(() => t.close());

async function rowCounts() {
	const [c] = await t.db.select({ n: count() }).from(customers);
	const [p] = await t.db.select({ n: count() }).from(customerPhones);
	return { customers: c?.n, phones: p?.n };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
	return error;
}

describe('createCustomer', () => {
	it('saves the fields and normalized numbers, first number primary, in entry order', async () => {
		const owner = await makeStaff(t.db);
		const record = await createCustomer(t.db, {
			firstName: '  Grace ',
			lastName: 'Hopper',
			company: 'Navy Labs',
			email: 'grace@example.com',
			notes: 'Prefers mornings.',
			ownerId: owner.id,
			phones: [
				{ number: '415.555.0101', label: 'work' },
				{ number: '+44 20 7946 0001', label: 'mobile' }
			]
		});
		expect(record).toMatchObject({
			kind: 'customer',
			status: null,
			source: 'manual',
			firstName: 'Grace',
			lastName: 'Hopper',
			displayName: 'Grace Hopper',
			company: 'Navy Labs',
			email: 'grace@example.com',
			notes: 'Prefers mornings.',
			ownerId: owner.id,
			ownerName: owner.name,
			timeline: { items: [], nextCursor: null }
		});
		expect(record.phones.map((p) => [p.e164, p.label, p.isPrimary, p.display])).toEqual([
			['+14155550101', 'work', true, '(415) 555-0101'],
			['+442079460001', 'mobile', false, '+44 20 7946 0001']
		]);
		expect(record.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
	});

	it('makes leads with status new unless told otherwise, and stores an empty email as null', async () => {
		const lead = await createCustomer(t.db, { kind: 'lead', company: 'Prospect Ltd', email: '' });
		expect(lead).toMatchObject({ kind: 'lead', status: 'new', email: null, displayName: 'Prospect Ltd' });
		const qualified = await createCustomer(t.db, { kind: 'lead', lastName: 'Q', status: 'qualified' });
		expect(qualified.status).toBe('qualified');
		const customer = await createCustomer(t.db, { kind: 'customer', lastName: 'C', status: 'qualified' });
		expect(customer.status).toBeNull();
	});

	it('honours the primary flag the caller set', async () => {
		const record = await createCustomer(t.db, {
			lastName: 'Primary',
			phones: [{ number: '415 555 0102' }, { number: '415 555 0103', isPrimary: true }]
		});
		expect(record.phones.map((p) => p.isPrimary)).toEqual([false, true]);
	});

	it('refuses an over-long name with a clear message and writes nothing', async () => {
		const before = await rowCounts();
		const error = await rejection(createCustomer(t.db, { firstName: 'x'.repeat(101), lastName: 'Long' }));
		expect(error).toMatchObject({ kind: 'BAD_REQUEST', code: 'INVALID_CUSTOMER' });
		expect(error.message).toBe('First name is too long (101 characters); the limit is 100.');
		expect(error.details).toEqual({ fieldErrors: { firstName: [error.message] } });
		expect(await rowCounts()).toEqual(before);
	});

	it.each([
		['a long company', { lastName: 'L', company: 'c'.repeat(201) }, /Company is too long \(201 characters\); the limit is 200/],
		['a bad email', { lastName: 'L', email: 'not-an-email' }, /Enter a valid email address/],
		['long notes', { lastName: 'L', notes: 'n'.repeat(10_001) }, /Notes is too long/],
		['an unknown kind', { lastName: 'L', kind: 'prospect' as never }, /Kind must be customer or lead/],
		['no name at all', { firstName: '', lastName: '  ', company: '' }, /Enter a name, a company or a phone number/]
	])('refuses %s', async (_label, input, message) => {
		const before = await rowCounts();
		const error = await rejection(createCustomer(t.db, input));
		expect(error.kind).toBe('BAD_REQUEST');
		expect(error.message).toMatch(message);
		expect(await rowCounts()).toEqual(before);
	});

	it('writes nothing when the second phone number is invalid', async () => {
		const before = await rowCounts();
		const error = await rejection(
			createCustomer(t.db, { firstName: 'Half', lastName: 'Written', phones: [{ number: '415 555 0104' }, { number: '12' }] })
		);
		expect(error).toMatchObject({ kind: 'BAD_REQUEST', code: 'INVALID_PHONE' });
		expect(error.message).toMatch(/^Phone 2: '12' is too short for a phone number/);
		expect(error.details).toMatchObject({ fieldErrors: { 'phones.1.number': [error.message] } });
		expect(await rowCounts()).toEqual(before);
		expect(await t.db.select().from(customers).where(eq(customers.lastName, 'Written'))).toEqual([]);
	});

	it('refuses the same number twice and two primaries', async () => {
		const duplicate = await rejection(
			createCustomer(t.db, { lastName: 'Dup', phones: [{ number: '415 555 0105' }, { number: '+1 (415) 555-0105' }] })
		);
		expect(duplicate).toMatchObject({ code: 'DUPLICATE_PHONE' });
		expect(duplicate.message).toMatch(/same number as phone 1/);
		const primaries = await rejection(
			createCustomer(t.db, {
				lastName: 'Prim',
				phones: [
					{ number: '415 555 0106', isPrimary: true },
					{ number: '415 555 0107', isPrimary: true }
				]
			})
		);
		expect(primaries).toMatchObject({ code: 'MULTIPLE_PRIMARY_PHONES' });
	});

	it('refuses an owner who is not a staff member, inside the transaction', async () => {
		const before = await rowCounts();
		const error = await rejection(
			createCustomer(t.db, { lastName: 'Owned', ownerId: 'nobody', phones: [{ number: '415 555 0108' }] })
		);
		expect(error).toMatchObject({ kind: 'BAD_REQUEST', code: 'OWNER_NOT_FOUND' });
		expect(await rowCounts()).toEqual(before);
	});

	it('rolls back the customer row when the phone insert fails in the database', async () => {
		// A trigger makes the database itself refuse one number, after the customer row is written.
		await t.db.execute(sql`create function refuse_phone() returns trigger language plpgsql as $$
			begin if new.e164 = '+14155550109' then raise exception 'refused by test trigger'; end if; return new; end $$`);
		await t.db.execute(
			sql`create trigger refuse_phone before insert on customer_phones for each row execute function refuse_phone()`
		);
		try {
			const before = await rowCounts();
			const error = await createCustomer(t.db, { lastName: 'Rollback', phones: [{ number: '415 555 0109' }] }).then(
				() => null,
				(e: unknown) => e as Error & { cause?: Error }
			);
			expect(error?.cause?.message ?? String(error)).toMatch(/refused by test trigger/);
			expect(await rowCounts()).toEqual(before);
			expect(await t.db.select().from(customers).where(eq(customers.lastName, 'Rollback'))).toEqual([]);
		} finally {
			await t.db.execute(sql`drop trigger refuse_phone on customer_phones`);
			await t.db.execute(sql`drop function refuse_phone()`);
		}
	});
});
