/**
 * A short-lived Convex token for the signed-in browser (LIVE=convex); convex-svelte calls this
 * whenever its token nears expiry.
 */
import { json, unauthenticated } from '$lib/server/http/responses';
import { tokenSignerFor } from '$lib/server/live/jwt';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals }) => {
	if (!locals.user) return unauthenticated();
	const { config } = locals.services;
	const signer = tokenSignerFor(config);
	if (!signer)
		return json({ ok: false, code: 'NOT_CONVEX', message: 'Convex tokens are issued only when LIVE=convex.' }, 404);
	const { id, role, name } = locals.user;
	return json(signer.sign({ subject: id, role, name }));
};
