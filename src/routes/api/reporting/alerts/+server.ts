/**
 * Queue alerts on their own stream, for a client that wants only them: the alerts still in force
 * at once, then each new one (reporting/wallboard-feed.ts). Pages of the app do not open it: they
 * receive the same alerts on the notices stream they already keep open (notices/queue-alerts.ts).
 * Agents are refused.
 */
import { sameSessionUser, sessionBoundSignal } from '$lib/server/auth/session-bound-signal';
import { problem, unauthenticated } from '$lib/server/http/responses';
import { sseResponse } from '$lib/server/http/sse';
import { followQueueAlerts, receivesQueueAlerts } from '$lib/server/notices/queue-alerts';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	if (!receivesQueueAlerts(locals.user.role)) return problem(403, 'FORBIDDEN', 'Queue alerts are for managers, supervisors and admins.');
	const { auth, wallboard } = locals.services;
	const role = locals.user.role;
	return sseResponse(sessionBoundSignal(request.signal, sameSessionUser(auth, request.headers, locals.user)), (sink) => {
		let stop: (() => void) | null = null;
		let ended = false;
		followQueueAlerts(role, wallboard, (message) => sink.send(message))
			.then((unsubscribe) => {
				if (ended) return unsubscribe();
				stop = unsubscribe;
			})
			.catch(() => sink.close());
		return () => {
			ended = true;
			stop?.();
		};
	});
};
