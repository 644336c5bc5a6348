import { getServices } from '$lib/server/services';
import { createCallerFactory } from '$lib/server/trpc/init';
import { adminRouter } from '$lib/server/trpc/routers/admin';
import type { PageServerLoad } from './$types';

const createCaller = createCallerFactory(adminRouter);

// Through the procedure, so the page gets the same guard and the same shape as the browser's calls.
export const load: PageServerLoad = async ({ locals }) => {
	const services = await getServices();
	return await createCaller({ services, user: locals.user }).listAgentSkills();
};
