/**
 * Queue alerts for a signed-in page, carried on a stream that page already keeps open (the staff
 * notices stream, /api/notices/voicemail): a browser allows 6 HTTP/1.1 connections per host, and
 * one more always-open stream per tab left the live connection stuck connecting. Managers,
 * supervisors and admins are told the alerts still in force at once, then each new one the
 * wallboard feed publishes; agents are never subscribed (and the feed does not run for them).
 */
import { roleAllows, type Role } from '$lib/roles';
import type { SupervisorAlert } from '../reporting/wallboard-feed';

export interface AlertSource {
	watch(onSnapshot: null, onAlert: (a: SupervisorAlert) => void): Promise<() => void>;
	activeAlerts(): SupervisorAlert[];
}

export interface QueueAlertMessage {
	kind: 'alert';
	alert: SupervisorAlert;
}

export function receivesQueueAlerts(role: Role | null | undefined): boolean {
	return roleAllows('manager', role);
}

/** Follow queue alerts for this viewer; resolves with the function that stops (a no-op for agents). */
export async function followQueueAlerts(role: Role | null | undefined, source: AlertSource, send: (m: QueueAlertMessage) => void): Promise<() => void> {
	if (!receivesQueueAlerts(role)) return () => {};
	const stop = await source.watch(null, (alert) => send({ kind: 'alert', alert }));
	for (const alert of source.activeAlerts()) send({ kind: 'alert', alert });
	return stop;
}
