import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerPhones, customers } from '../db/schema/crm';
import { createTestDb, type TestDb } from '../db/test-db';
import { AppError } from '../errors';
import { getCustomer } from './get-customer';
import { makeCustomer, makeStaff } from './test-factories';
import { updateCustomer } from './update-customer';

let t: TestDb;
beforeAll(async () => {
	t = await createTestDb();
});
afterAll(() => t.close());

async function rejection(promise: Promise<unknown>): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
	return error;
}

describe('updateCustomer', () => {
	it('changes only the fields given', async () => {
		const original = await makeCustomer(t.db, { firstName: 'Lin', lastName: 'Ng', company: 'Old Co', notes: 'keep me' });
		const updated = await updateCustomer(t.db, { id: original.id, company: 'New Co', email: 'lin@example.com' });
		expect(updated).toMatchObject({
			firstName: 'Lin',
			lastName: 'Ng',
			company: 'New Co',
			email: 'lin@example.com',
			notes: 'keep me'
		});
		expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(original.updatedAt).getTime());
	});

	it('replaces the phone list, keeping ids of numbers already on file', async () => {
		const original = await makeCustomer(t.db, {
			phones: [
				{ number: '415 555 0110', label: 'mobile' },
				{ number: '415 555 0111', label: 'home' }
			]
		});
		const kept = original.phones[1]!;
		const updated = await updateCustomer(t.db, {
			id: original.id,
			phones: [
				{ number: '(415) 555-0111', label: 'work', isPrimary: true },
				{ number: '+1 415 555 0112', label: 'other' }
			]
		});
		expect(updated.phones.map((p) => [p.e164, p.label, p.isPrimary])).toEqual([
			['+14155550111', 'work', true],
			['+14155550112', 'other', false]
		]);
		expect(updated.phones[0]!.id).toBe(kept.id);
		const rows = await t.db.select().from(customerPhones).where(eq(customerPhones.customerId, original.id));
		expect(rows.map((r) => r.e164).sort()).toEqual(['+14155550111', '+14155550112']);
	});

	it('can clear every number when the record still has a name', async () => {
		const original = await makeCustomer(t.db, { phones: [{ number: '415 555 0113' }] });
		expect((await updateCustomer(t.db, { id: original.id, phones: [] })).phones).toEqual([]);
	});

	it('turns a lead into a customer and drops its status', async () => {
		const lead = await makeCustomer(t.db, { kind: 'lead', status: 'qualified' });
		expect(await updateCustomer(t.db, { id: lead.id, kind: 'customer' })).toMatchObject({ kind: 'customer', status: null });
		expect(await updateCustomer(t.db, { id: lead.id, kind: 'lead' })).toMatchObject({ kind: 'lead', status: 'new' });
	});

	it('sets and clears the owner', async () => {
		const owner = await makeStaff(t.db);
		const c = await makeCustomer(t.db);
		expect((await updateCustomer(t.db, { id: c.id, ownerId: owner.id })).ownerId).toBe(owner.id);
		expect((await updateCustomer(t.db, { id: c.id, ownerId: null })).ownerId).toBeNull();
	});

	it('leaves everything as it was when one of the new numbers is invalid', async () => {
		const original = await makeCustomer(t.db, { firstName: 'Stay', phones: [{ number: '415 555 0114' }] });
		const error = await rejection(
			updateCustomer(t.db, { id: original.id, firstName: 'Changed', phones: [{ number: '415 555 0115' }, { number: 'abc' }] })
		);
		expect(error).toMatchObject({ kind: 'BAD_REQUEST', code: 'INVALID_PHONE' });
		expect(await getCustomer(t.db, { id: original.id })).toEqual(original);
	});

	it('refuses an over-long last name clearly and changes nothing', async () => {
		const original = await makeCustomer(t.db);
		const error = await rejection(updateCustomer(t.db, { id: original.id, lastName: 'L'.repeat(150) }));
		expect(error).toMatchObject({ kind: 'BAD_REQUEST', code: 'INVALID_CUSTOMER' });
		expect(error.message).toBe('Last name is too long (150 characters); the limit is 100.');
		expect(await getCustomer(t.db, { id: original.id })).toEqual(original);
	});

	it('refuses to remove the last thing that identifies the record', async () => {
		const original = await makeCustomer(t.db, { firstName: 'Only', lastName: '', company: '' });
		const error = await rejection(updateCustomer(t.db, { id: original.id, firstName: '' }));
		expect(error.code).toBe('CUSTOMER_NAME_REQUIRED');
	});

	it('says NOT_FOUND for an unknown id and BAD_REQUEST for a malformed one', async () => {
		const missing = await rejection(updateCustomer(t.db, { id: '00000000-0000-4000-8000-000000000000', firstName: 'X' }));
		expect(missing).toMatchObject({ kind: 'NOT_FOUND', code: 'CUSTOMER_NOT_FOUND' });
		expect(missing.message).toMatch(/No customer has the id 00000000-0000-4000-8000-000000000000/);
		const malformed = await rejection(updateCustomer(t.db, { id: 'not-a-uuid', firstName: 'X' }));
		expect(malformed).toMatchObject({ kind: 'BAD_REQUEST' });
		expect(malformed.message).toBe("'not-a-uuid' is not a customer id.");
	});

	it('refuses a stale edit with CONFLICT when expectedUpdatedAt no longer matches', async () => {
		const original = await makeCustomer(t.db);
		await t.db
			.update(customers)
			.set({ updatedAt: new Date(Date.now() + 60_000) })
			.where(eq(customers.id, original.id));
		const error = await rejection(
			updateCustomer(t.db, { id: original.id, expectedUpdatedAt: original.updatedAt, notes: 'late' })
		);
		expect(error).toMatchObject({ kind: 'CONFLICT', code: 'CUSTOMER_CHANGED' });
		const fresh = await getCustomer(t.db, { id: original.id });
		expect((await updateCustomer(t.db, { id: original.id, expectedUpdatedAt: fresh.updatedAt, notes: 'now' })).notes).toBe('now');
	});
});
