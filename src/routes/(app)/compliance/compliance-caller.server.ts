/** The audit page and its export load through the compliance procedures (same guards and validation as the browser's calls). */
import { getServices } from '$lib/server/services';
import { createCallerFactory } from '$lib/server/trpc/init';
import { complianceRouter } from '$lib/server/trpc/routers/compliance';

const createCaller = createCallerFactory(complianceRouter);

export async function complianceCaller(user: App.Locals['user']) {
	return createCaller({ services: await getServices(), user });
}
