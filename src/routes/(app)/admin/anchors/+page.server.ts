import { failPage } from '../../customers/crm-caller.server';
import { qualityCaller } from '../../quality/quality-caller.server';
import type { PageServerLoad } from './$types';

/** The current anchor descriptions to edit, and every saved version. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const api = qualityCaller(locals);
	try {
		const [current, history] = await Promise.all([api.anchors({}), api.anchorHistory()]);
		return { current, history };
	} catch (cause) {
		failPage(cause, url);
	}
};
