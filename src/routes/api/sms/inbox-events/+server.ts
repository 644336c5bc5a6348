/** The live inbox's stream: a server-sent event per inbox change notice (see sms/inbox-events.ts). */
import { roleAllows } from '$lib/roles';
import { watchInbox } from '$lib/server/sms/inbox-events';
import { problem, unauthenticated } from '$lib/server/http/responses';
import { sseResponse } from '$lib/server/http/sse';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	if (!roleAllows('agent', locals.user.role)) return problem(403, 'FORBIDDEN', 'The inbox is for staff.');
	const { broadcast } = locals.services.adapters;
	const viewer = locals.user.id;
	return sseResponse(request.signal, (sink) => {
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
