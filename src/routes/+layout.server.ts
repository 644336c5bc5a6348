import { getServices } from '$lib/server/services';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	const { config } = await getServices();
	return {
		user: locals.user,
		live: config.live.adapter === 'convex' ? { mode: 'convex' as const, convexUrl: config.live.url } : { mode: 'local' as const },
		localMode: config.telephony.adapter === 'local'
	};
};
