import { createCallerFactory } from '$lib/server/trpc/init';
import { smsRouter } from '$lib/server/trpc/routers/sms';
import type { PageServerLoad } from './$types';

const createCaller = createCallerFactory(smsRouter);

// Through the procedure, so the page gets the same guard and the same shape as the browser's calls.
export const load: PageServerLoad = async ({ locals }) => {
	const services = locals.services;
	return { responses: await createCaller({ services, user: locals.user }).canned.list({ includeRetired: true }) };
};
