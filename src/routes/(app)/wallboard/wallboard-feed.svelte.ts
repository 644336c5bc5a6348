/**
 * The wallboard's queue figures: one server-computed snapshot pushed over SSE on every change
 * (reporting/wallboard-feed.ts), and the supervisor alerts that come with it. No polling: the
 * browser only re-renders ages and waits each second from the snapshot's timestamps.
 */
import type { SupervisorAlert, WallboardSnapshot } from '$lib/reporting/wallboard-types';

export const WALLBOARD_EVENTS_URL = '/api/reporting/wallboard-events';
const REOPEN_MS = 5000;
const MAX_ALERTS = 5;

export class WallboardFeedClient {
	snapshot = $state<WallboardSnapshot | null>(null);
	alerts = $state<SupervisorAlert[]>([]);
	connected = $state(false);

	connect(): () => void {
		let source: EventSource | null = null;
		let retry: ReturnType<typeof setTimeout> | undefined;
		let stopped = false;
		const start = () => {
			source = new EventSource(WALLBOARD_EVENTS_URL);
			source.onopen = () => (this.connected = true);
			source.onmessage = (event: MessageEvent<string>) => {
				const data = JSON.parse(event.data) as { kind: 'snapshot'; snapshot: WallboardSnapshot } | { kind: 'alert'; alert: SupervisorAlert };
				if (data.kind === 'snapshot') this.snapshot = data.snapshot;
				else this.alerts = [data.alert, ...this.alerts].slice(0, MAX_ALERTS);
			};
			source.onerror = () => {
				this.connected = false;
				if (source?.readyState === 2 && !stopped) retry = setTimeout(start, REOPEN_MS);
			};
		};
		start();
		return () => {
			stopped = true;
			clearTimeout(retry);
			source?.close();
		};
	}

	dismiss(index: number) {
		this.alerts = this.alerts.filter((_, i) => i !== index);
	}
}
