/**
 * Customer pages load through the CRM procedures (same guard, validation and output shape as the
 * browser's tRPC calls), and turn their errors into SvelteKit responses.
 */
import { error, redirect } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { createCallerFactory } from '$lib/server/trpc/init';
import { crmRouter } from '$lib/server/trpc/routers/crm';

const createCaller = createCallerFactory(crmRouter);

export function crmCaller(locals: App.Locals) {
	return createCaller({ services: locals.services, user: locals.user });
}

/** Throw the SvelteKit redirect or error page that matches a failed procedure call. */
export function failPage(cause: unknown, url: URL): never {
	if (cause instanceof TRPCError) {
		if (cause.code === 'UNAUTHORIZED') redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
		const status = getHTTPStatusCodeFromError(cause);
		if (status < 500) error(status, { message: cause.message, code: cause.code });
	}
	throw cause;
}
