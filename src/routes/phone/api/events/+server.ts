/** The customer phone's event stream: its calls and texts, pushed on every change, and its calls' audio signaling (local mode only). */
import { problem } from '$lib/server/http/responses';
import { sseResponse } from '$lib/server/http/sse';
import { localCarrier, watchPhone } from '../../phone-state.server';
import { E164 } from '$lib/phone-rules';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ url, request, locals }) => {
	const carrier = localCarrier(locals.services);
	if (!carrier) return problem(404, 'NOT_LOCAL', 'The customer phone exists only with TELEPHONY=local.');
	const number = url.searchParams.get('number') ?? '';
	if (!E164.test(number)) return problem(400, 'INVALID_PHONE', 'number: use an E.164 number such as +12125550123');
	return sseResponse(request.signal, (sink) => watchPhone(carrier.engine, carrier.telephony, number, (snapshot) => sink.send(snapshot), (media) => sink.send(media)));
};
