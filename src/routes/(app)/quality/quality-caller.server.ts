/** Quality pages load through the quality procedures (same guards, rules and shapes as the browser's calls). */
import { createCallerFactory } from '$lib/server/trpc/init';
import { qualityRouter } from '$lib/server/trpc/routers/quality';

const createCaller = createCallerFactory(qualityRouter);

export function qualityCaller(locals: App.Locals) {
	return createCaller({ services: locals.services, user: locals.user });
}
