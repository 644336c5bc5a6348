/**
 * The number an outbound call shows: the one the customer knows. A requested number (a
 * campaign's, or the softphone's choice) is used when it is one of ours; else the number the
 * customer last called us on; else the first voice queue's number. The queue that number
 * belongs to gives the call its consent notice and wrap-up time.
 */
import { and, asc, desc, eq, isNotNull } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { calls, voiceQueues } from '../db/schema/calls';
import { AppError } from '../errors';

export interface CallerId {
	number: string;
	queue: string;
}

export async function chooseCallerId(db: Db | Tx, input: { customerE164: string; requested?: string | null }): Promise<CallerId> {
	if (input.requested) {
		const [ours] = await db
			.select({ number: voiceQueues.number, queue: voiceQueues.name })
			.from(voiceQueues)
			.where(eq(voiceQueues.number, input.requested));
		if (ours) return ours;
	}
	const [known] = await db
		.select({ number: voiceQueues.number, queue: voiceQueues.name })
		.from(calls)
		.innerJoin(voiceQueues, eq(voiceQueues.number, calls.toE164))
		.where(and(eq(calls.fromE164, input.customerE164), eq(calls.direction, 'inbound'), isNotNull(calls.toE164)))
		.orderBy(desc(calls.receivedAt))
		.limit(1);
	if (known) return known;
	const [first] = await db
		.select({ number: voiceQueues.number, queue: voiceQueues.name })
		.from(voiceQueues)
		.orderBy(asc(voiceQueues.number))
		.limit(1);
	if (first) return first;
	throw new AppError('CONFLICT', 'NO_CALLER_ID', 'Switchboard has no number to call from: an admin must add a voice queue with its number first.');
}
