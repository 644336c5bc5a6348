/** The browser's live event stream (LIVE=local), closed when its session ends or changes. See src/lib/server/live/http.ts. */
import { sameSessionUser, sessionBoundSignal } from '$lib/server/auth/session-bound-signal';
import { getLiveHub } from '$lib/server/live/hub';
import { unauthenticated } from '$lib/server/http/responses';
import { eventStream, notLocal } from '$lib/server/live/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	const { hot, auth } = locals.services;
	if (hot.mode !== 'local') return notLocal();
	return eventStream(getLiveHub(hot), locals.user, sessionBoundSignal(request.signal, sameSessionUser(auth, request.headers, locals.user)));
};
