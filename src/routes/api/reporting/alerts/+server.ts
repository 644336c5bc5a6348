/**
 * Supervisor alerts for every page a manager, supervisor or admin has open: the alerts still in
 * force at once, then each new one the one server-side computation publishes on the Broadcast
 * port (reporting/wallboard-feed.ts). Agents are refused.
 */
import { roleAllows } from '$lib/roles';
import { sameSessionUser, sessionBoundSignal } from '$lib/server/auth/session-bound-signal';
import { problem, unauthenticated } from '$lib/server/http/responses';
import { sseResponse } from '$lib/server/http/sse';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	if (!roleAllows('manager', locals.user.role)) return problem(403, 'FORBIDDEN', 'Queue alerts are for managers, supervisors and admins.');
	const { auth, wallboard } = locals.services;
	return sseResponse(sessionBoundSignal(request.signal, sameSessionUser(auth, request.headers, locals.user)), (sink) => {
		let stop: (() => void) | null = null;
		let ended = false;
		wallboard
			.watch(null, (alert) => sink.send({ kind: 'alert', alert }))
			.then((unsubscribe) => {
				if (ended) return unsubscribe();
				stop = unsubscribe;
				for (const alert of wallboard.activeAlerts()) sink.send({ kind: 'alert', alert });
			})
			.catch(() => sink.close());
		return () => {
			ended = true;
			stop?.();
		};
	});
};
