/**
 * The local carrier's HTTP surface in local mode: Twilio's REST paths at
 * /carrier/2010-04-01/Accounts/{AccountSid}/... (what the twilio client reaches through its
 * custom httpClient, and where RecordingUrls point) and the scenario API at /carrier/scenario/...
 * With real Twilio configured there is no carrier, and every path answers 404.
 */
import type { RequestHandler } from './$types';
import { carrierEngineOf, handleCarrierHttp } from '$lib/server/adapters/telephony/carrier';

const handle: RequestHandler = async ({ request, params, locals }) => {
	const services = locals.services;
	const engine = services.config.telephony.adapter === 'local' ? carrierEngineOf(services.adapters.telephony) : null;
	if (!engine) {
		return new Response(JSON.stringify({ error: 'The local carrier runs only with TELEPHONY=local.' }), {
			status: 404,
			headers: { 'content-type': 'application/json' }
		});
	}
	return handleCarrierHttp(engine, request, `/${params.path}`);
};

export const GET = handle;
export const POST = handle;
export const DELETE = handle;
