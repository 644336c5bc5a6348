/** The customer phone sends a text; the page follows its delivery over the event stream. */
import { z } from 'zod';
import { logger } from '$lib/server/log';
import { json, problem } from '$lib/softphone/sse.server';
import { localCarrier } from '../../phone-state.server';
import { E164 } from '../../phone-types';
import type { RequestHandler } from './$types';

const ZPhone = z.string().trim().regex(E164, 'use an E.164 number such as +14155550100');
const ZTextRequest = z.object({ from: ZPhone, to: ZPhone, body: z.string().trim().min(1, 'write a message').max(1600) });

export const POST: RequestHandler = async ({ request }) => {
	const carrier = await localCarrier();
	if (!carrier) return problem(404, 'NOT_LOCAL', 'The customer phone exists only with TELEPHONY=local.');
	const parsed = ZTextRequest.safeParse(await request.json().catch(() => null));
	if (!parsed.success) return problem(400, 'BAD_REQUEST', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
	const { from, to, body } = parsed.data;
	// The carrier records the text at once and resolves after Switchboard's webhook answered; the stream shows both.
	carrier.engine.scenario.sendText({ from, to, body }).catch((error: unknown) => {
		logger('phone').error('customer phone text failed', { error: error instanceof Error ? error.message : String(error) });
	});
	return json({ ok: true }, 202);
};
