/**
 * A staff member's notices stream, the one always-open notices connection of every signed-in
 * page: a server-sent event per transcribed voicemail left in a queue the agent may take callbacks
 * of (transcripts/voicemail-notice.ts) and, for managers, supervisors and admins only, the queue
 * alerts (notices/queue-alerts.ts: {kind: 'alert'}). Closed when the session ends.
 */
import { roleAllows } from '$lib/roles';
import { sameSessionUser, sessionBoundSignal } from '$lib/server/auth/session-bound-signal';
import { eligibleQueues } from '$lib/server/callbacks/eligible-queues';
import { problem, unauthenticated } from '$lib/server/http/responses';
import { sseResponse } from '$lib/server/http/sse';
import { followQueueAlerts } from '$lib/server/notices/queue-alerts';
import { watchVoicemails } from '$lib/server/transcripts/voicemail-notice';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	if (!roleAllows('agent', locals.user.role)) return problem(403, 'FORBIDDEN', 'Voicemail notices are for staff.');
	const { adapters, auth, db, wallboard } = locals.services;
	const viewer = { id: locals.user.id, role: locals.user.role };
	return sseResponse(sessionBoundSignal(request.signal, sameSessionUser(auth, request.headers, locals.user)), (sink) => {
		const stops: (() => void)[] = [];
		let ended = false;
		const keep = (unsubscribe: () => void) => (ended ? unsubscribe() : stops.push(unsubscribe));
		const queuesOf = async () => new Set(await eligibleQueues(db, viewer));
		Promise.all([
			watchVoicemails(adapters.broadcast, queuesOf, (notice) => sink.send(notice)).then(keep),
			followQueueAlerts(viewer.role, wallboard, (message) => sink.send(message)).then(keep)
		]).then(
			() => {
				if (!ended) sink.send({ kind: 'ready' });
			},
			() => sink.close()
		);
		return () => {
			ended = true;
			for (const stop of stops.splice(0)) stop();
		};
	});
};
