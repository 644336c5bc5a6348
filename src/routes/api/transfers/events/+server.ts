/** The signed-in agent's transfer notices (transfers/transfer-notices.ts) as server-sent events: an offer rings at once. */
import { roleAllows } from '$lib/roles';
import { sameSessionUser, sessionBoundSignal } from '$lib/server/auth/session-bound-signal';
import { problem, unauthenticated } from '$lib/server/http/responses';
import { sseResponse } from '$lib/server/http/sse';
import { watchTransfers } from '$lib/server/transfers/transfer-notices';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	if (!roleAllows('agent', locals.user.role)) return problem(403, 'FORBIDDEN', 'Transfers are for staff.');
	const { adapters, auth } = locals.services;
	const viewer = locals.user.id;
	return sseResponse(sessionBoundSignal(request.signal, sameSessionUser(auth, request.headers, locals.user)), (sink) => {
		let stop: (() => void) | null = null;
		let ended = false;
		watchTransfers(adapters.broadcast, viewer, (notice) => sink.send(notice)).then(
			(unsubscribe) => {
				if (ended) unsubscribe();
				else {
					stop = unsubscribe;
					sink.send({ kind: 'ready' });
				}
			},
			() => sink.close()
		);
		return () => {
			ended = true;
			stop?.();
		};
	});
};
