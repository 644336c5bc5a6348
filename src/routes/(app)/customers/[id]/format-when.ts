/**
 * A timestamp for people. The server does not know the viewer's zone, so server rendering shows
 * UTC and the browser switches to local time once hydrated (`local`).
 */
export function formatWhen(iso: string, local: boolean): string {
	if (!local) return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
	return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
