/**
 * Edit a customer. Only the fields given change; `phones`, when given, is the complete new
 * list (numbers already on file keep their id). One transaction: all of it is saved, or none.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { customerPhones, customers } from '../db/schema/crm';
import { AppError } from '../errors';
import { assertOwnerExists } from './assert-owner-exists';
import {
	ZUpdateCustomerInput,
	assertIdentifiable,
	normalizePhoneList,
	parseOrThrow,
	type NormalizedPhoneInput,
	type UpdateCustomerInput
} from './customer-input';
import type { CustomerRecord } from './customer-view';
import { customerNotFound, getCustomer } from './get-customer';

export async function updateCustomer(db: Db, input: UpdateCustomerInput): Promise<CustomerRecord> {
	const { id, expectedUpdatedAt, phones: phoneInput, ...fields } = parseOrThrow(ZUpdateCustomerInput, input);
	const phones = phoneInput ? normalizePhoneList(phoneInput) : undefined;
	return db.transaction(async (tx) => {
		const [row] = await tx.select().from(customers).where(eq(customers.id, id)).for('update');
		if (!row) throw customerNotFound(id);
		if (expectedUpdatedAt && new Date(expectedUpdatedAt).getTime() !== row.updatedAt.getTime()) {
			throw new AppError(
				'CONFLICT',
				'CUSTOMER_CHANGED',
				'Someone else changed this customer while you were editing. Reload to see their changes, then edit again.'
			);
		}
		const existing = await tx.select().from(customerPhones).where(eq(customerPhones.customerId, id));
		const merged = {
			firstName: fields.firstName ?? row.firstName,
			lastName: fields.lastName ?? row.lastName,
			company: fields.company ?? row.company
		};
		assertIdentifiable(merged, phones ? phones.length : existing.length);
		if (fields.ownerId !== undefined) await assertOwnerExists(tx, fields.ownerId);

		const kind = fields.kind ?? row.kind;
		await tx
			.update(customers)
			.set({
				...merged,
				kind,
				email: fields.email === undefined ? row.email : fields.email || null,
				notes: fields.notes ?? row.notes,
				status: kind === 'lead' ? (fields.status ?? row.status ?? 'new') : null,
				ownerId: fields.ownerId === undefined ? row.ownerId : fields.ownerId,
				updatedAt: new Date()
			})
			.where(eq(customers.id, id));
		if (phones) await replacePhones(tx, id, existing, phones);
		return getCustomer(tx, { id });
	});
}

async function replacePhones(
	tx: Db,
	customerId: string,
	existing: (typeof customerPhones.$inferSelect)[],
	phones: NormalizedPhoneInput[]
): Promise<void> {
	const wanted = new Set(phones.map((p) => p.e164));
	const removed = existing.filter((p) => !wanted.has(p.e164)).map((p) => p.id);
	// Clear the primary flag first: at most one primary per customer is enforced row by row.
	await tx.update(customerPhones).set({ isPrimary: false }).where(eq(customerPhones.customerId, customerId));
	if (removed.length) {
		await tx.delete(customerPhones).where(and(eq(customerPhones.customerId, customerId), inArray(customerPhones.id, removed)));
	}
	const byNumber = new Map(existing.map((p) => [p.e164, p]));
	const added: (typeof customerPhones.$inferInsert)[] = [];
	for (const [position, p] of phones.entries()) {
		const values = { extension: p.extension, label: p.label, isPrimary: p.isPrimary, position };
		const kept = byNumber.get(p.e164);
		if (kept) await tx.update(customerPhones).set(values).where(eq(customerPhones.id, kept.id));
		else added.push({ customerId, e164: p.e164, ...values });
	}
	if (added.length) await tx.insert(customerPhones).values(added);
}
