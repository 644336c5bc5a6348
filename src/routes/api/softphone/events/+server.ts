/** The local softphone's device channel: an SSE stream that registers the agent's carrier device (TELEPHONY=local only), closed when the session ends or changes. */
import { sameSessionUser, sessionBoundSignal } from '$lib/server/auth/session-bound-signal';
import { agentClientIdentity } from '$lib/server/calls/caller-number';
import { carrierEngineOf } from '$lib/server/adapters/telephony';
import { openDeviceChannel } from '$lib/server/softphone/device-channel';
import { problem, unauthenticated } from '$lib/server/http/responses';
import { sseResponse } from '$lib/server/http/sse';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	const { adapters, auth } = locals.services;
	const engine = carrierEngineOf(adapters.telephony);
	if (!engine) return problem(404, 'NOT_LOCAL', 'With TELEPHONY=twilio the softphone registers with Twilio directly.');
	const identity = agentClientIdentity(locals.user.id);
	const signal = sessionBoundSignal(request.signal, sameSessionUser(auth, request.headers, locals.user));
	return sseResponse(signal, (sink) => openDeviceChannel(engine, identity, (event) => sink.send(event)));
};
