/** Append one entry to a customer's timeline (a call, a text, a note, a system event). */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { ACTIVITY_KINDS, activities, customers } from '../db/schema/crm';
import { ZCustomerId, parseOrThrow } from './customer-input';
import { toActivityView, type ActivityView } from './customer-view';
import { customerNotFound } from './get-customer';

export const ZRecordActivityInput = z.object({
	customerId: ZCustomerId,
	kind: z.enum(ACTIVITY_KINDS),
	occurredAt: z.date().optional(),
	actorId: z.string().min(1).nullable().optional(),
	summary: z.string().trim().max(2000, { error: 'An activity summary is at most 2000 characters.' }).default(''),
	data: z.record(z.string(), z.unknown()).default({})
});
export type RecordActivityInput = z.input<typeof ZRecordActivityInput>;

/** Pass a transaction as `db` to record the activity atomically with the event that caused it. */
export async function recordActivity(db: Db, input: RecordActivityInput): Promise<ActivityView> {
	const fields = parseOrThrow(ZRecordActivityInput, input, 'INVALID_ACTIVITY');
	const [owner] = await db.select({ id: customers.id }).from(customers).where(eq(customers.id, fields.customerId));
	if (!owner) throw customerNotFound(fields.customerId);
	const [row] = await db
		.insert(activities)
		.values({
			customerId: fields.customerId,
			kind: fields.kind,
			occurredAt: fields.occurredAt ?? new Date(),
			actorId: fields.actorId ?? null,
			summary: fields.summary,
			data: fields.data
		})
		.returning();
	if (!row) throw new Error('insert into activities returned no row');
	return toActivityView(row);
}
