import { roleAllows } from '$lib/roles';
import { failPage } from '../customers/crm-caller.server';
import { qualityCaller } from './quality-caller.server';
import type { PageServerLoad } from './$types';

/** Graders get the review queue and AI-human agreement; agents their own scorecards and summary. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const api = qualityCaller(locals);
	try {
		if (locals.user && roleAllows('manager', locals.user.role)) {
			const [queue, agreement, settings] = await Promise.all([api.queue({}), api.agreement({}), api.settings()]);
			return { view: 'grader' as const, queue, agreement, settings };
		}
		const me = locals.user?.id ?? '';
		const [cards, summary] = await Promise.all([api.scorecard.list({}), api.summary.latest({ scope: 'agent', subject: me })]);
		// Each card reads against the anchor version it was filled in, not today's.
		const versions = [...new Set(cards.map((c) => c.anchorVersion))];
		const anchors = Object.fromEntries(await Promise.all(versions.map(async (version) => [version, (await api.anchors({ version })).anchors] as const)));
		return { view: 'agent' as const, cards, summary, me, anchors };
	} catch (cause) {
		failPage(cause, url);
	}
};
