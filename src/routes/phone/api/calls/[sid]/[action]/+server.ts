/**
 * The customer phone's hands on a call: press keys, hang up, answer/decline a call Switchboard
 * placed, or relay a WebRTC signal for the call's audio to the other side of its bridge.
 */
import { ZMediaSignal } from '$lib/media/media-signal-schema';
import { CALL_SID } from '$lib/phone-rules';
import { badRequest } from '$lib/server/http/bad-request';
import { json, problem } from '$lib/server/http/responses';
import { localCarrier } from '../../../../phone-state.server';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ params, request, locals, url }) => {
	const carrier = localCarrier(locals.services);
	if (!carrier) return problem(404, 'NOT_LOCAL', 'The customer phone exists only with TELEPHONY=local.');
	if (!CALL_SID.test(params.sid)) return problem(400, 'BAD_REQUEST', 'The call SID is CA followed by 32 hex digits.');
	const call = [...carrier.engine.phones.values()].flatMap((p) => p.calls).find((c) => c.sid === params.sid);
	if (!call) return problem(404, 'NOT_FOUND', `No customer phone call ${params.sid}.`);
	switch (params.action) {
		case 'digits': {
			const body = (await request.json().catch(() => null)) as { digits?: unknown } | null;
			const digits = typeof body?.digits === 'string' ? body.digits : '';
			if (!/^[0-9*#]{1,32}$/.test(digits)) return problem(400, 'BAD_REQUEST', 'digits: 0-9, * and # (at most 32)');
			call.pressKeys(digits);
			break;
		}
		case 'hangup':
			call.hangUp();
			break;
		case 'answer':
			call.answer();
			break;
		case 'reject':
			call.reject();
			break;
		case 'media': {
			const parsed = ZMediaSignal.safeParse(await request.json().catch(() => null));
			if (!parsed.success) return badRequest(parsed.error.issues, 'signal');
			// In a conference the signal goes to one participant's browser, named by its call SID.
			const peer = url.searchParams.get('peer') ?? undefined;
			if (peer !== undefined && !CALL_SID.test(peer)) return problem(400, 'BAD_REQUEST', 'peer: a call SID');
			if (!call.sendMedia(parsed.data, peer)) return problem(409, 'NO_MEDIA', 'That call is not connected to anyone whose browser carries audio.');
			break;
		}
		default:
			return problem(404, 'NOT_FOUND', `No call action ${params.action}; use digits, hangup, answer, reject or media.`);
	}
	return json({ callSid: call.sid, status: call.status });
};
