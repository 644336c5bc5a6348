/**
 * The queue alerts a supervisor's page shows (components/queue-alerts.svelte), kept pure for
 * tests: each alert once by id, newest first, at most MAX_SHOWN, none the user dismissed.
 */
import type { SupervisorAlert } from '$lib/reporting/wallboard-types';

export const MAX_SHOWN = 4;

export const ALERT_TITLE: Record<SupervisorAlert['kind'], string> = {
	'service-level': 'Service level under target',
	'long-wait': 'Caller waiting too long'
};

/** The alert a notices-stream message carries ({kind: 'alert', alert}), or null. */
export function alertOf(message: Record<string, unknown>): SupervisorAlert | null {
	if (message.kind !== 'alert' || typeof message.alert !== 'object' || message.alert === null) return null;
	const a = message.alert as Partial<SupervisorAlert>;
	if (typeof a.id !== 'string' || typeof a.queue !== 'string' || typeof a.message !== 'string' || typeof a.at !== 'string') return null;
	if (a.kind !== 'service-level' && a.kind !== 'long-wait') return null;
	return { id: a.id, kind: a.kind, queue: a.queue, message: a.message, at: a.at };
}

/** The list with `alert` added: unless dismissed or already shown, newest first, capped. */
export function withAlert(shown: SupervisorAlert[], alert: SupervisorAlert, dismissed: ReadonlySet<string>): SupervisorAlert[] {
	if (dismissed.has(alert.id) || shown.some((a) => a.id === alert.id)) return shown;
	return [alert, ...shown].slice(0, MAX_SHOWN);
}
