/**
 * Open streams (the live query stream, the inbox's notices, the softphone's device channel)
 * are authorized once, when they open; a session ended, a user banned or removed, or a role
 * changed afterwards would keep receiving for as long as the tab stays open. Each stream runs
 * on a signal that also aborts when a re-check, at least every minute, no longer finds the same
 * user with the same role behind the request's cookie. The browser reconnects, and the hooks'
 * guards then answer it as they answer any request (401, or the new role's view).
 */
import type { Auth } from './auth';
import { resolveSession } from './session-user';

export const SESSION_RECHECK_MS = 60_000;

/** An AbortSignal that follows `signal` and also aborts the first time `stillValid` answers false. */
export function sessionBoundSignal(signal: AbortSignal, stillValid: () => Promise<boolean>, everyMs = SESSION_RECHECK_MS): AbortSignal {
	const controller = new AbortController();
	const stop = () => {
		clearInterval(timer);
		signal.removeEventListener('abort', onAbort);
	};
	const onAbort = () => {
		stop();
		controller.abort(signal.reason);
	};
	const timer = setInterval(() => {
		stillValid().then(
			(valid) => {
				if (valid || controller.signal.aborted) return;
				stop();
				controller.abort(new Error('The session behind this stream ended or changed.'));
			},
			// The archive not answering is not a sign-out: the next check decides.
			() => undefined
		);
	}, everyMs);
	if (signal.aborted) onAbort();
	else signal.addEventListener('abort', onAbort);
	return controller.signal;
}

/** A check that the request's cookie still resolves to `user`, with the same role. */
export function sameSessionUser(auth: Auth, headers: Headers, user: { id: string; role: string }): () => Promise<boolean> {
	const copy = new Headers(headers);
	return async () => {
		const now = (await resolveSession(auth, copy)).user;
		return now !== null && now.id === user.id && now.role === user.role;
	};
}
