/** POST unsubscribe for the local live path (LIVE=local). See src/lib/server/live/http.ts. */
import { getLiveHub } from '$lib/server/live/hub';
import { unauthenticated } from '$lib/server/http/responses';
import { unsubscribeRequest, notLocal } from '$lib/server/live/http';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, request }) => {
	if (!locals.user) return unauthenticated();
	const { hot } = locals.services;
	if (hot.mode !== 'local') return notLocal();
	return unsubscribeRequest(getLiveHub(hot), locals.user, request);
};
