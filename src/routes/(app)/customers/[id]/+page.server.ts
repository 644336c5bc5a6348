import { complianceCaller } from '../../compliance/compliance-caller.server';
import { crmCaller, failPage } from '../crm-caller.server';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const api = crmCaller(locals);
	try {
		const customer = await api.get({ id: params.id });
		// Each number's Do-Not-Contact state, so nobody calls or texts a number that said stop.
		const consent = customer.phones.length
			? await complianceCaller(locals).states({ phones: customer.phones.map((p) => p.e164) })
			: [];
		return { customer, consent };
	} catch (cause) {
		failPage(cause, url);
	}
};
