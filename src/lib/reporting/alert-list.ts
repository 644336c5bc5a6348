/**
 * The alerts a screen shows: newest first, each id once (the server re-sends the alerts still in
 * force when a page reconnects), none the user dismissed, at most MAX_SHOWN.
 */
import type { SupervisorAlert } from './wallboard-types';

export const MAX_SHOWN = 3;

export function withAlert(shown: readonly SupervisorAlert[], alert: SupervisorAlert, dismissed: readonly string[]): SupervisorAlert[] {
	if (dismissed.includes(alert.id) || shown.some((a) => a.id === alert.id)) return [...shown];
	return [alert, ...shown].slice(0, MAX_SHOWN);
}
