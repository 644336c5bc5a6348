/** The audit page and its export load through the compliance procedures (same guards and validation as the browser's calls). */
import { createCallerFactory } from '$lib/server/trpc/init';
import { complianceRouter } from '$lib/server/trpc/routers/compliance';

const createCaller = createCallerFactory(complianceRouter);

export function complianceCaller(locals: App.Locals) {
	return createCaller({ services: locals.services, user: locals.user });
}
