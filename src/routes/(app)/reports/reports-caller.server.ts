/** The reports page and its CSV load through the reports procedures (same guards and validation as the browser's calls). */
import { createCallerFactory } from '$lib/server/trpc/init';
import { reportsRouter } from '$lib/server/trpc/routers/reports';

const createCaller = createCallerFactory(reportsRouter);

export function reportsCaller(locals: App.Locals) {
	return createCaller({ services: locals.services, user: locals.user });
}
