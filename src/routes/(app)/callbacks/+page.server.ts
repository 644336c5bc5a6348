import { createCallerFactory } from '$lib/server/trpc/init';
import { callbacksRouter } from '$lib/server/trpc/routers/callbacks';
import { failPage } from '../customers/crm-caller.server';
import type { PageServerLoad } from './$types';

const createCaller = createCallerFactory(callbacksRouter);

export const load: PageServerLoad = async ({ locals, url }) => {
	try {
		return { list: await createCaller({ services: locals.services, user: locals.user }).list() };
	} catch (cause) {
		failPage(cause, url);
	}
};
