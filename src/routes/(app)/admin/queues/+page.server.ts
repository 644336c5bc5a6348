import { getServices } from '$lib/server/services';
import { createCallerFactory } from '$lib/server/trpc/init';
import { adminRouter } from '$lib/server/trpc/routers/admin';
import type { PageServerLoad } from './$types';

const createCaller = createCallerFactory(adminRouter);

// Through the procedures, so the page gets the same guard and the same shape as the browser's calls.
export const load: PageServerLoad = async ({ locals }) => {
	const caller = createCaller({ services: await getServices(), user: locals.user });
	const [queues, skills] = await Promise.all([caller.listQueues(), caller.listAgentSkills()]);
	return { queues, catalog: skills.catalog };
};
