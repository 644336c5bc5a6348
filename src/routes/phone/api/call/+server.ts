/** The customer phone dials a number (usually a Switchboard number) from any caller ID. */
import { z } from 'zod';
import { badRequest } from '$lib/server/http/bad-request';
import { json, problem } from '$lib/server/http/responses';
import { localCarrier } from '../../phone-state.server';
import { E164 } from '$lib/phone-rules';
import type { RequestHandler } from './$types';

const ZPhone = z.string().trim().regex(E164, 'use an E.164 number such as +14155550100');
const ZCallRequest = z.object({ from: ZPhone, to: ZPhone });

export const POST: RequestHandler = async ({ request, locals }) => {
	const carrier = localCarrier(locals.services);
	if (!carrier) return problem(404, 'NOT_LOCAL', 'The customer phone exists only with TELEPHONY=local.');
	const parsed = ZCallRequest.safeParse(await request.json().catch(() => null));
	if (!parsed.success) return badRequest(parsed.error.issues);
	const call = carrier.engine.scenario.placeCall(parsed.data);
	return json({ callSid: call.sid, from: call.from, to: call.to }, 201);
};
