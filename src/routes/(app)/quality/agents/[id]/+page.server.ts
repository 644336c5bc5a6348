import { roleAllows } from '$lib/roles';
import { failPage } from '../../../customers/crm-caller.server';
import { qualityCaller } from '../../quality-caller.server';
import type { PageServerLoad } from './$types';

/** One agent's quality: their scorecards with the AI grades beside, averages, trend and summary. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	try {
		const profile = await qualityCaller(locals).agentProfile({ agentId: params.id });
		const viewer = locals.user!;
		return { profile, as: roleAllows('manager', viewer.role) ? ('grader' as const) : ('agent' as const) };
	} catch (cause) {
		failPage(cause, url);
	}
};
