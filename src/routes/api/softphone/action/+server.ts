/**
 * Accept, reject, hang up, mute, send digits or relay a WebRTC signal on a call ringing or live at
 * the agent's local softphone; or place a call from it (`connect`, the Voice SDK's Device.connect).
 */
import { z } from 'zod';
import { ZMediaSignal } from '$lib/media/media-signal-schema';
import { CALL_SID } from '$lib/phone-rules';
import { agentClientIdentity } from '$lib/server/calls/caller-number';
import { applyDeviceAction, connectDevice } from '$lib/server/softphone/device-channel';
import { CONNECT_PARAM_NAME, CONNECT_PARAM_VALUE_MAX, CONNECT_PARAMS_MAX, SOFTPHONE_ACTIONS, type SoftphoneAction } from '$lib/softphone/protocol';
import { badRequest } from '$lib/server/http/bad-request';
import { json, problem, unauthenticated } from '$lib/server/http/responses';
import type { RequestHandler } from './$types';

const ZSoftphoneActionRequest = z.object({
	deviceId: z.uuid(),
	callSid: z.string().regex(CALL_SID, 'callSid is CA followed by 32 hex digits'),
	action: z.enum(SOFTPHONE_ACTIONS as [SoftphoneAction, ...SoftphoneAction[]]),
	digits: z.string().regex(/^[0-9*#w]{1,32}$/, 'digits are 0-9, * and # (at most 32)').optional(),
	signal: ZMediaSignal.optional(),
	peer: z.string().regex(CALL_SID, 'peer is CA followed by 32 hex digits').optional()
});

const ZSoftphoneConnectRequest = z.object({
	deviceId: z.uuid(),
	action: z.literal('connect'),
	params: z
		.record(
			z.string().regex(CONNECT_PARAM_NAME, 'parameter names are a letter, then letters, digits or _ (at most 64)'),
			z.string().max(CONNECT_PARAM_VALUE_MAX, `parameter values are at most ${CONNECT_PARAM_VALUE_MAX} characters`)
		)
		.refine((p) => Object.keys(p).length <= CONNECT_PARAMS_MAX, `at most ${CONNECT_PARAMS_MAX} parameters`)
});

export const POST: RequestHandler = async ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	const body: unknown = await request.json().catch(() => null);
	if ((body as { action?: unknown } | null)?.action === 'connect') {
		const connect = ZSoftphoneConnectRequest.safeParse(body);
		if (!connect.success) return badRequest(connect.error.issues);
		const outcome = connectDevice(agentClientIdentity(locals.user.id), connect.data.deviceId, connect.data.params);
		return outcome.ok ? json(outcome, 201) : problem(outcome.status, outcome.code, outcome.message);
	}
	const parsed = ZSoftphoneActionRequest.safeParse(body);
	if (!parsed.success) return badRequest(parsed.error.issues);
	if (parsed.data.action === 'digits' && !parsed.data.digits) return problem(400, 'BAD_REQUEST', 'digits: required for the digits action');
	if (parsed.data.action === 'media' && !parsed.data.signal) return problem(400, 'BAD_REQUEST', 'signal: required for the media action');
	const outcome = applyDeviceAction(agentClientIdentity(locals.user.id), parsed.data);
	return outcome.ok ? json(outcome) : problem(outcome.status, outcome.code, outcome.message);
};
