/** Create a customer or lead with its phone numbers in one transaction: all of it is saved, or none. */
import type { Db } from '../db/client';
import { customerPhones, customers } from '../db/schema/crm';
import { assertOwnerExists } from './assert-owner-exists';
import {
	ZCreateCustomerInput,
	assertIdentifiable,
	normalizePhoneList,
	parseOrThrow,
	type CreateCustomerInput
} from './customer-input';
import type { CustomerRecord } from './customer-view';
import { getCustomer } from './get-customer';

export async function createCustomer(db: Db, input: CreateCustomerInput): Promise<CustomerRecord> {
	const fields = parseOrThrow(ZCreateCustomerInput, input);
	// Every number is checked before the first write, so a bad second number leaves nothing behind.
	const phones = normalizePhoneList(fields.phones);
	assertIdentifiable(fields, phones.length);
	return db.transaction(async (tx) => {
		await assertOwnerExists(tx, fields.ownerId);
		const [row] = await tx
			.insert(customers)
			.values({
				kind: fields.kind,
				firstName: fields.firstName,
				lastName: fields.lastName,
				company: fields.company,
				email: fields.email || null,
				notes: fields.notes,
				status: fields.kind === 'lead' ? (fields.status ?? 'new') : null,
				source: fields.source,
				ownerId: fields.ownerId ?? null
			})
			.returning({ id: customers.id });
		if (!row) throw new Error('insert into customers returned no row');
		if (phones.length) {
			await tx.insert(customerPhones).values(
				phones.map((p, position) => ({
					customerId: row.id,
					e164: p.e164,
					extension: p.extension,
					label: p.label,
					isPrimary: p.isPrimary,
					position
				}))
			);
		}
		return getCustomer(tx, { id: row.id });
	});
}
