import { failPage } from '../../../customers/crm-caller.server';
import { qualityCaller } from '../../quality-caller.server';
import type { PageServerLoad } from './$types';

/** The review page: `?calibration=<id>` scores the call in that blind calibration round. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	try {
		const calibrationId = url.searchParams.get('calibration');
		return await qualityCaller(locals).review({ callId: params.id, calibrationId: calibrationId || null });
	} catch (cause) {
		failPage(cause, url);
	}
};
