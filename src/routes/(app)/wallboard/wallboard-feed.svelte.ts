/**
 * The wallboard's queue figures: one server-computed snapshot pushed over SSE on every change
 * (reporting/wallboard-feed.ts). No polling: the browser only re-renders ages and waits each
 * second from the snapshot's timestamps. Alerts are shown on every page by the layout
 * (components/supervisor-alerts.svelte), so this stream's alert messages are ignored here.
 */
import type { WallboardSnapshot } from '$lib/reporting/wallboard-types';

export const WALLBOARD_EVENTS_URL = '/api/reporting/wallboard-events';
const REOPEN_MS = 5000;

export class WallboardFeedClient {
	snapshot = $state<WallboardSnapshot | null>(null);
	connected = $state(false);

	connect(): () => void {
		let source: EventSource | null = null;
		let retry: ReturnType<typeof setTimeout> | undefined;
		let stopped = false;
		const start = () => {
			source = new EventSource(WALLBOARD_EVENTS_URL);
			source.onopen = () => (this.connected = true);
			source.onmessage = (event: MessageEvent<string>) => {
				const data = JSON.parse(event.data) as { kind: string; snapshot?: WallboardSnapshot };
				if (data.kind === 'snapshot' && data.snapshot) this.snapshot = data.snapshot;
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
}
