/**
 * Server hooks: the services on `event.locals.services` and the auth pipeline
 * (src/lib/server/auth/handle.ts) for every request, services started before the first request
 * and closed on shutdown, and errors logged with a reference the person can quote while the page
 * shows nothing internal.
 */
import { errorDetail, errorMessage } from '$lib/errors';
import { building, dev } from '$app/environment';
import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { createAuthHandles } from '$lib/server/auth/handle';
import { logger } from '$lib/server/log';
import { convexCspHandle } from '$lib/server/live/csp';
import { getServices } from '$lib/server/services';

const log = logger('http');

/** Open the archive and start the adapters before the first request, so bad config fails at start. */
export const init: ServerInit = async () => {
	if (!building) await getServices();
};

// adapter-node emits this on SIGTERM/SIGINT; postgres-js would otherwise keep the process alive.
if (!dev && !building) {
	process.once('sveltekit:shutdown', () => {
		getServices()
			.then((s) => s.close())
			.catch((e: unknown) => log.error('closing services failed', { error: errorMessage(e) }));
	});
}

/** The local carrier's account (its Basic credentials open /carrier for `npm run carrier`); none with real telephony. */
async function carrierAccount() {
	const { telephony } = (await getServices()).config;
	return telephony.adapter === 'local' && telephony.accountSid && telephony.authToken
		? { accountSid: telephony.accountSid, authToken: telephony.authToken }
		: null;
}

/** Route files reach the services through the request (tests hand them their own); getServices() is for code outside a request. */
const services: Handle = async ({ event, resolve }) => {
	event.locals.services = await getServices();
	return resolve(event);
};

export const handle: Handle = sequence(
	convexCspHandle(async () => (await getServices()).config.live),
	services,
	...createAuthHandles(async () => (await getServices()).auth, { carrierAccount })
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status === 404) return { message: 'Not found.', code: 'NOT_FOUND' };
	if (status < 500) return { message, code: 'BAD_REQUEST' };
	const reference = crypto.randomUUID().slice(0, 8);
	log.error(`${event.request.method} ${event.url.pathname} failed (reference ${reference})`, {
		status,
		error: errorDetail(error)
	});
	return { message: `Something went wrong on our side (reference ${reference}).`, code: 'INTERNAL' };
};
