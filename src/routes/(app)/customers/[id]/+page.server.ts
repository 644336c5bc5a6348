import { crmCaller, failPage } from '../crm-caller.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const api = await crmCaller(locals.user);
	try {
		return { customer: await api.get({ id: params.id }) };
	} catch (cause) {
		failPage(cause, url);
	}
};
