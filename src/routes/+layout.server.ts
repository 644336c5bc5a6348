import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals }) => {
	const { config } = locals.services;
	return {
		user: locals.user,
		live: config.live.adapter === 'convex' ? { mode: 'convex' as const, convexUrl: config.live.url } : { mode: 'local' as const },
		localMode: config.telephony.adapter === 'local'
	};
};
