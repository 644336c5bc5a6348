import { redirect } from '@sveltejs/kit';
import { createCallerFactory } from '$lib/server/trpc/init';
import { preferencesRouter } from '$lib/server/trpc/routers/preferences';
import type { LayoutServerLoad } from './$types';

const createCaller = createCallerFactory(preferencesRouter);

export const load: LayoutServerLoad = async ({ locals, url, depends }) => {
	// hooks.server.ts guards these pages too; this narrows the type for the layout.
	if (!locals.user) redirect(303, `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
	// The settings page invalidates this after a change, so the softphone follows at once.
	depends('app:preferences');
	const preferences = await createCaller({ services: locals.services, user: locals.user }).mine();
	return { user: locals.user, preferences };
};
