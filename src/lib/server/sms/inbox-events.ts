/**
 * Inbox change notices over the Broadcast port (Ably in production, the in-process emitter
 * locally): "thread X changed" after every archive write an inbox shows (a new message, a
 * status, an assignment, a read marker). A notice carries no state, only what changed: each
 * open inbox re-reads those threads through tRPC with its own filter, search and unread count,
 * so the archive stays the one truth and a lost notice costs at most a stale row until the next.
 */
import type { BroadcastPort } from '../adapters/broadcast';
import { logger } from '../log';

export const INBOX_CHANNEL = 'sms-inbox';
export const INBOX_EVENT = 'thread.changed';

export const INBOX_CHANGE_KINDS = ['message', 'status', 'assigned', 'read'] as const;
export type InboxChangeKind = (typeof INBOX_CHANGE_KINDS)[number];

export interface InboxChange {
	threadId: string;
	kind: InboxChangeKind;
	/** Set for changes only one agent's inboxes care about (their read marker). */
	forUser?: string;
}

const log = logger('sms');

/** Tell every open inbox that a thread changed. Never throws: the archive write already stands. */
export async function announceInboxChange(broadcast: BroadcastPort, change: InboxChange): Promise<void> {
	try {
		await broadcast.publish(INBOX_CHANNEL, INBOX_EVENT, change);
	} catch (error) {
		log.warn('sms: could not announce an inbox change', { ...change, error: String(error) });
	}
}

function isChange(data: unknown): data is InboxChange {
	if (typeof data !== 'object' || data === null) return false;
	const d = data as Record<string, unknown>;
	return (
		typeof d.threadId === 'string' &&
		(INBOX_CHANGE_KINDS as readonly unknown[]).includes(d.kind) &&
		(d.forUser === undefined || typeof d.forUser === 'string')
	);
}

/**
 * Follow the changes `viewerId`'s inbox shows (everyone's, less other agents' read markers).
 * Resolves once subscribed, with the function that stops it.
 */
export async function watchInbox(
	broadcast: BroadcastPort,
	viewerId: string,
	onChange: (change: InboxChange) => void
): Promise<() => void> {
	return broadcast.subscribe(INBOX_CHANNEL, (message) => {
		if (message.name !== INBOX_EVENT || !isChange(message.data)) return;
		if (message.data.forUser !== undefined && message.data.forUser !== viewerId) return;
		onChange({ threadId: message.data.threadId, kind: message.data.kind });
	});
}
