/** The live inbox's stream: a server-sent event per inbox change notice (see sms/inbox-events.ts), closed when the session ends or changes. */
import { roleAllows } from '$lib/roles';
import { sameSessionUser, sessionBoundSignal } from '$lib/server/auth/session-bound-signal';
import { watchInbox } from '$lib/server/sms/inbox-events';
import { problem, unauthenticated } from '$lib/server/http/responses';
import { sseResponse } from '$lib/server/http/sse';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	if (!roleAllows('agent', locals.user.role)) return problem(403, 'FORBIDDEN', 'The inbox is for staff.');
	const { adapters, auth } = locals.services;
	const { broadcast } = adapters;
	const viewer = locals.user.id;
	return sseResponse(sessionBoundSignal(request.signal, sameSessionUser(auth, request.headers, locals.user)), (sink) => {
		let stop: (() => void) | null = null;
		let ended = false;
		watchInbox(broadcast, viewer, (change) => sink.send(change)).then(
			(unsubscribe) => {
				if (ended) unsubscribe();
				else {
					stop = unsubscribe;
					// The browser reloads its list on this, so nothing between its first load and now is missed.
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
