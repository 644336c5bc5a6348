/** Create a customer or lead with its phone numbers in one transaction: all of it is saved, or none. */
import type { Db, Tx } from '../db/client';
import { customerPhones, customers } from '../db/schema/crm';
import { assertOwnerExists } from './assert-owner-exists';
import {
	ZCreateCustomerInput,
	assertIdentifiable,
	normalizePhoneList,
	parseOrThrow,
	type CreateCustomerInput
} from './customer-input';
import { toSummary, type CustomerRecord, type CustomerSummary } from './customer-view';
import { getCustomer } from './get-customer';

export async function createCustomer(db: Db, input: CreateCustomerInput): Promise<CustomerRecord> {
	return db.transaction(async (tx) => getCustomer(tx, { id: (await insertCustomer(tx, input)).id }));
}

/**
 * The same inside a transaction the caller already holds, answering with the summary only: for
 * hot paths (an unknown caller on an incoming-call webhook) that need the new record's name and
 * id, not its timeline, and whose own transaction makes the record all-or-nothing (no savepoint).
 */
export async function insertCustomerSummary(tx: Tx, input: CreateCustomerInput): Promise<CustomerSummary> {
	return insertCustomer(tx, input);
}

async function insertCustomer(tx: Db | Tx, input: CreateCustomerInput): Promise<CustomerSummary> {
	const fields = parseOrThrow(ZCreateCustomerInput, input);
	// Every number is checked before the first write, so a bad second number leaves nothing behind.
	const phones = normalizePhoneList(fields.phones);
	assertIdentifiable(fields, phones.length);
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
		.returning();
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
	return toSummary(row);
}
