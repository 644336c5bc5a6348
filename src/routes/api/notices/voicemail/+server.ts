/**
 * An agent's voicemail notices: a server-sent event per transcribed voicemail left in a queue the
 * agent may take callbacks of (transcripts/voicemail-notice.ts), closed when the session ends.
 */
import { roleAllows } from '$lib/roles';
import { sameSessionUser, sessionBoundSignal } from '$lib/server/auth/session-bound-signal';
import { eligibleQueues } from '$lib/server/callbacks/eligible-queues';
import { problem, unauthenticated } from '$lib/server/http/responses';
import { sseResponse } from '$lib/server/http/sse';
import { watchVoicemails } from '$lib/server/transcripts/voicemail-notice';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	if (!roleAllows('agent', locals.user.role)) return problem(403, 'FORBIDDEN', 'Voicemail notices are for staff.');
	const { adapters, auth, db } = locals.services;
	const viewer = { id: locals.user.id, role: locals.user.role };
	return sseResponse(sessionBoundSignal(request.signal, sameSessionUser(auth, request.headers, locals.user)), (sink) => {
		let stop: (() => void) | null = null;
		let ended = false;
		const queuesOf = async () => new Set(await eligibleQueues(db, viewer));
		watchVoicemails(adapters.broadcast, queuesOf, (notice) => sink.send(notice)).then(
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
