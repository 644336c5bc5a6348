/**
 * One list of a thread's messages from two sources: pages read from the archive (every message,
 * newest first) and the live hot copy (the last few, updated as they arrive or change status).
 * Keyed by the archive id; the live copy wins for status, since it is the newer news.
 */

import { SMS_STATUS_RANK, type SmsStatusName } from '$lib/sms/status';

export type MessageStatus = SmsStatusName;

export interface ThreadMessage {
	id: string;
	direction: 'inbound' | 'outbound';
	body: string;
	status: MessageStatus;
	errorMessage: string | null;
	/** MMS files that came with it (0 for a plain text). */
	mediaCount: number;
	/** Epoch milliseconds. */
	at: number;
}

export interface ArchivedMessage {
	id: string;
	direction: 'inbound' | 'outbound';
	body: string;
	status: MessageStatus;
	errorMessage: string | null;
	mediaCount?: number;
	createdAt: string;
}

export interface LiveMessage {
	archiveId: string;
	direction: 'inbound' | 'outbound';
	body: string;
	state: MessageStatus;
	errorMessage?: string;
	mediaCount?: number;
	sentAt: number;
}

const RANK: Record<MessageStatus, number> = SMS_STATUS_RANK;

/** Oldest first; a status never moves back whichever source is behind. */
export function mergeMessages(archived: readonly ArchivedMessage[], live: readonly LiveMessage[]): ThreadMessage[] {
	const byId = new Map<string, ThreadMessage>();
	for (const m of archived) {
		byId.set(m.id, {
			id: m.id,
			direction: m.direction,
			body: m.body,
			status: m.status,
			errorMessage: m.errorMessage,
			mediaCount: m.mediaCount ?? 0,
			at: Date.parse(m.createdAt)
		});
	}
	for (const m of live) {
		if (!m.archiveId) continue;
		const known = byId.get(m.archiveId);
		if (known && RANK[known.status] > RANK[m.state]) continue;
		byId.set(m.archiveId, {
			id: m.archiveId,
			direction: m.direction,
			body: m.body,
			status: m.state,
			errorMessage: m.errorMessage ?? known?.errorMessage ?? null,
			mediaCount: Math.max(m.mediaCount ?? 0, known?.mediaCount ?? 0),
			at: known?.at ?? m.sentAt
		});
	}
	return [...byId.values()].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

export const STATUS_LABEL: Record<MessageStatus, string> = {
	// Held by Switchboard until the number's send slot (carriers allow about one text a second per number).
	waiting: 'Waiting to send',
	queued: 'Queued',
	sending: 'Sending',
	sent: 'Sent',
	delivered: 'Delivered',
	undelivered: 'Undelivered',
	failed: 'Failed',
	canceled: 'Not sent',
	received: 'Received'
};

export const STATUS_TONE: Record<MessageStatus, 'neutral' | 'green' | 'amber' | 'red' | 'blue'> = {
	waiting: 'amber',
	queued: 'neutral',
	sending: 'neutral',
	sent: 'blue',
	delivered: 'green',
	undelivered: 'red',
	failed: 'red',
	canceled: 'red',
	received: 'neutral'
};
