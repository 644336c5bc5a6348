/** One customer's full record: fields, phone numbers in entry order, and the newest page of its timeline. */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { user } from '../db/schema/auth';
import { customerPhones, customers } from '../db/schema/crm';
import { notFound } from '../errors';
import { ZCustomerId, parseOrThrow } from './customer-input';
import { sortPhones, toPhoneView, toSummary, type CustomerRecord } from './customer-view';
import { listTimeline } from './list-timeline';

export interface GetCustomerInput {
	id: string;
	/** Size of the first timeline page (default 50). */
	timelineLimit?: number;
}

export const customerNotFound = (id: string) =>
	notFound('CUSTOMER_NOT_FOUND', `No customer has the id ${id}; it may have been deleted. Search for the customer instead.`);

export async function getCustomer(db: Db, input: GetCustomerInput): Promise<CustomerRecord> {
	const id = parseOrThrow(ZCustomerId, input.id, 'INVALID_CUSTOMER_ID');
	const [found] = await db
		.select({ row: customers, ownerName: user.name })
		.from(customers)
		.leftJoin(user, eq(user.id, customers.ownerId))
		.where(eq(customers.id, id));
	if (!found) throw customerNotFound(id);
	const { row, ownerName } = found;
	const phones = await db.select().from(customerPhones).where(eq(customerPhones.customerId, id));
	const timeline = await listTimeline(db, { customerId: id, limit: input.timelineLimit });
	return { ...toSummary(row), notes: row.notes, ownerName, phones: sortPhones(phones).map(toPhoneView), timeline };
}
