/** The browser's live event stream (LIVE=local). See src/lib/server/live/http.ts. */
import { getLiveHub } from '$lib/server/live/hub';
import { unauthenticated } from '$lib/server/http/responses';
import { eventStream, notLocal } from '$lib/server/live/http';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	const { hot } = locals.services;
	if (hot.mode !== 'local') return notLocal();
	return eventStream(getLiveHub(hot), locals.user, request.signal);
};
