/** The wallboard's stream: the current snapshot at once, then every snapshot and alert the one server-side computation publishes (reporting/wallboard-feed.ts). */
import { roleAllows } from '$lib/roles';
import { sameSessionUser, sessionBoundSignal } from '$lib/server/auth/session-bound-signal';
import { problem, unauthenticated } from '$lib/server/http/responses';
import { sseResponse } from '$lib/server/http/sse';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	if (!roleAllows('manager', locals.user.role)) return problem(403, 'FORBIDDEN', 'The wallboard is for managers, supervisors and admins.');
	const { auth, wallboard } = locals.services;
	return sseResponse(sessionBoundSignal(request.signal, sameSessionUser(auth, request.headers, locals.user)), (sink) => {
		let stop: (() => void) | null = null;
		let ended = false;
		wallboard
			.watch(
				(snapshot) => sink.send({ kind: 'snapshot', snapshot }),
				(alert) => sink.send({ kind: 'alert', alert })
			)
			.then(async (unsubscribe) => {
				if (ended) return unsubscribe();
				stop = unsubscribe;
				sink.send({ kind: 'snapshot', snapshot: await wallboard.current() });
			})
			.catch(() => sink.close());
		return () => {
			ended = true;
			stop?.();
		};
	});
};
