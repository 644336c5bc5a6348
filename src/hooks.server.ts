/**
 * Server hooks: the auth pipeline (src/lib/server/auth/handle.ts) for every request, services
 * started before the first request and closed on shutdown, and errors logged with a reference
 * the person can quote while the page shows nothing internal.
 */
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
			.catch((e: unknown) => log.error('closing services failed', { error: e instanceof Error ? e.message : String(e) }));
	});
}

export const handle: Handle = sequence(
	convexCspHandle(async () => (await getServices()).config.live),
	...createAuthHandles(async () => (await getServices()).auth)
);

export const handleError: HandleServerError = ({ error, event, status, message }) => {
	if (status === 404) return { message: 'Not found.', code: 'NOT_FOUND' };
	if (status < 500) return { message, code: 'BAD_REQUEST' };
	const reference = crypto.randomUUID().slice(0, 8);
	log.error(`${event.request.method} ${event.url.pathname} failed (reference ${reference})`, {
		status,
		error: error instanceof Error ? (error.stack ?? error.message) : String(error)
	});
	return { message: `Something went wrong on our side (reference ${reference}).`, code: 'INTERNAL' };
};
