/**
 * The customer phone (local mode only): a handset on the local carrier's network. Suggests
 * Switchboard's numbers (the voice routing table) and a few demo customers' numbers as caller IDs.
 */
import { errorMessage } from '$lib/errors';
import { error } from '@sveltejs/kit';
import { and, asc, eq } from 'drizzle-orm';
import { customerPhones, customers, voiceQueues } from '$lib/server/db/schema';
import { logger } from '$lib/server/log';
import { localCarrier } from './phone-state.server';
import type { PageServerLoad } from './$types';

/** Used when the archive has no demo customers yet: any number works as a caller ID. */
const FALLBACK_CALLER = '+12125550123';
const FALLBACK_NUMBER = '+14155550100';

export const load: PageServerLoad = async ({ locals }) => {
	if (!localCarrier(locals.services)) error(404, 'The customer phone exists only with the local carrier (TELEPHONY=local).');
	const { db } = locals.services;
	let numbers: { number: string; name: string }[] = [];
	let callers: { number: string; name: string }[] = [];
	try {
		numbers = await db.select({ number: voiceQueues.number, name: voiceQueues.name }).from(voiceQueues).orderBy(asc(voiceQueues.number)).limit(20);
		const rows = await db
			.select({ number: customerPhones.e164, firstName: customers.firstName, lastName: customers.lastName, company: customers.company })
			.from(customerPhones)
			.innerJoin(customers, eq(customers.id, customerPhones.customerId))
			.where(and(eq(customerPhones.isPrimary, true), eq(customers.source, 'demo')))
			.orderBy(asc(customers.createdAt), asc(customers.id))
			.limit(8);
		callers = rows.map((r) => ({ number: r.number, name: [`${r.firstName} ${r.lastName}`.trim(), r.company].filter(Boolean).join(', ') }));
	} catch (err) {
		// Suggestions only: the page still works with typed numbers.
		logger('phone').warn('could not load phone suggestions', { error: errorMessage(err) });
	}
	return {
		numbers,
		callers,
		defaultCaller: callers[0]?.number ?? FALLBACK_CALLER,
		defaultNumber: numbers[0]?.number ?? FALLBACK_NUMBER
	};
};
