import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '$lib/server/trpc/router';
import { logger } from '$lib/server/log';
import type { RequestHandler } from './$types';

const log = logger('trpc');

const handler: RequestHandler = async ({ request, locals }) => {
	const services = locals.services;
	return fetchRequestHandler({
		endpoint: '/api/trpc',
		req: request,
		router: appRouter,
		createContext: () => ({ services, user: locals.user }),
		onError({ error, path }) {
			if (error.code === 'INTERNAL_SERVER_ERROR') log.error(`${path ?? '?'} failed`, { message: error.message });
		}
	});
};

export const GET = handler;
export const POST = handler;
