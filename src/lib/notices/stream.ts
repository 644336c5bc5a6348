/**
 * The one notices stream of a signed-in page (/api/notices/voicemail): voicemail notices for
 * staff, queue alerts for managers, supervisors and admins. Every component that shows notices
 * listens here, so a tab keeps a single connection for them however many listen (a browser allows
 * 6 HTTP/1.1 connections per host). The EventSource reconnects by itself; it closes when the last
 * listener goes.
 */
export const NOTICES_URL = '/api/notices/voicemail';

type Listener = (data: Record<string, unknown>) => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;

/** Receive every message of the notices stream; returns the function that stops. */
export function onNotice(listener: Listener): () => void {
	listeners.add(listener);
	if (!source) {
		source = new EventSource(NOTICES_URL);
		source.onmessage = (event: MessageEvent<string>) => {
			let data: unknown;
			try {
				data = JSON.parse(event.data);
			} catch {
				return;
			}
			if (typeof data !== 'object' || data === null) return;
			for (const l of listeners) l(data as Record<string, unknown>);
		};
	}
	return () => {
		listeners.delete(listener);
		if (listeners.size === 0) {
			source?.close();
			source = null;
		}
	};
}
