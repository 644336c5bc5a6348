/**
 * Queue alerts on every page for managers, supervisors and admins: one EventSource to
 * /api/reporting/alerts (the server's one computation pushes them; nothing polls). Dismissed
 * alerts stay dismissed for the browser tab's session, across reloads.
 */
import { withAlert } from '$lib/reporting/alert-list';
import type { SupervisorAlert } from '$lib/reporting/wallboard-types';

export const ALERTS_URL = '/api/reporting/alerts';
const DISMISSED_KEY = 'switchboard:dismissed-alerts';

export class SupervisorAlerts {
	shown = $state<SupervisorAlert[]>([]);
	/** Not state: nothing renders it. */
	private dismissed: string[] = [];

	connect(): () => void {
		try {
			const saved: unknown = JSON.parse(sessionStorage.getItem(DISMISSED_KEY) ?? '[]');
			this.dismissed = Array.isArray(saved) ? saved.filter((id): id is string => typeof id === 'string') : [];
		} catch {
			this.dismissed = [];
		}
		const source = new EventSource(ALERTS_URL);
		source.onmessage = (event: MessageEvent<string>) => {
			const data = JSON.parse(event.data) as { kind?: string; alert?: SupervisorAlert };
			if (data.kind === 'alert' && data.alert && typeof data.alert.id === 'string') this.shown = withAlert(this.shown, data.alert, this.dismissed);
		};
		return () => source.close();
	}

	dismiss(id: string): void {
		this.dismissed = [...this.dismissed.filter((d) => d !== id), id].slice(-200);
		this.shown = this.shown.filter((a) => a.id !== id);
		try {
			sessionStorage.setItem(DISMISSED_KEY, JSON.stringify(this.dismissed));
		} catch {
			// Private mode without storage: dismissed for this page only.
		}
	}
}
